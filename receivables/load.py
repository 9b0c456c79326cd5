"""``seed_load`` receivables rows for the loaded companies (companies.load): assignments (open,
some overdue, closed), message threads with three messages each (some from Amili unread, the
thread's ``unread_count`` kept as sync keeps it), and a service level per company.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from companies.load import loaded_companies
from maventa_portal.core.seeding import LoadPlan, insert, pick, raw_delete

from .models import Assignment, AssignmentEvent, Message, MessageThread, ServiceLevel

ASSIGNMENT_STATUSES = (("open", 50), ("partially_closed", 15), ("closed", 33), ("unknown", 2))
MESSAGES_PER_THREAD = 3
PREFIX = "load-"


def load(plan: LoadPlan) -> str:
    company_ids = list(loaded_companies().order_by("pk").values_list("pk", flat=True))
    if not company_ids:
        return "no loaded companies: nothing made"
    assignments = _assignments(plan, company_ids)
    threads, messages = _threads(plan, company_ids)
    levels = _service_levels(plan, company_ids)
    return (
        f"{assignments} assignments, {threads} message threads, {messages} messages, "
        f"{levels} service levels"
    )


def reset() -> str:
    companies = loaded_companies()
    threads = MessageThread.objects.filter(company__in=companies)
    assignments = Assignment.objects.filter(company__in=companies)
    messages = raw_delete(Message.objects.filter(thread__in=threads))
    thread_count = raw_delete(threads)
    raw_delete(AssignmentEvent.objects.filter(assignment__in=assignments))
    assignment_count = raw_delete(assignments)
    raw_delete(ServiceLevel.objects.filter(company__in=companies))
    return (
        f"removed {assignment_count} assignments, {thread_count} message threads, "
        f"{messages} messages"
    )


def _assignments(plan: LoadPlan, company_ids: list[int]) -> int:
    existing = Assignment.objects.filter(maventa_id__startswith=PREFIX).count()
    rng = plan.rng("assignments", existing)

    def rows():
        for n in range(existing, existing + plan.assignments):
            opened = plan.moment(rng)
            status = pick(rng, ASSIGNMENT_STATUSES)
            amount = Decimal(rng.randrange(1_000, 500_000)) / 100
            yield Assignment(
                company_id=rng.choice(company_ids),
                maventa_id=f"{PREFIX}{n:08d}",
                invoice_id=f"L{rng.randrange(10**8):08d}",
                status=status,
                debtor_name=f"Debtor {rng.randrange(5000):04d} Oy",
                amount=amount,
                open_amount=Decimal(0) if status == "closed" else amount,
                currency="EUR",
                # Due 14 days after opening: about a third of the open ones are overdue.
                due_date=(opened + timedelta(days=rng.randrange(14, 150))).date(),
                opened_at=opened,
                closed_at=opened + timedelta(days=20) if status == "closed" else None,
                synced_at=opened,
            )

    return insert(Assignment, rows(), plan.batch_size)


def _threads(plan: LoadPlan, company_ids: list[int]) -> tuple[int, int]:
    existing = MessageThread.objects.filter(maventa_id__startswith=PREFIX).count()
    rng = plan.rng("threads", existing)
    threads, unread = [], []
    for n in range(existing, existing + plan.threads):
        last = plan.moment(rng)
        count = rng.choice((0, 0, 0, 1, 2))
        unread.append(count)
        threads.append(
            MessageThread(
                company_id=rng.choice(company_ids),
                maventa_id=f"{PREFIX}{n:08d}",
                subject=f"Assignment question {n}",
                flagged=rng.random() < 0.1,
                last_message_at=last,
                unread_count=count,
                synced_at=last,
            )
        )
    made = insert(MessageThread, threads, plan.batch_size)
    saved = MessageThread.objects.filter(maventa_id__startswith=PREFIX).order_by("pk")
    ids = list(saved.values_list("pk", "last_message_at"))[existing:]

    def messages():
        for (thread_id, last), count in zip(ids, unread, strict=True):
            for i in range(MESSAGES_PER_THREAD):
                at = last - timedelta(hours=MESSAGES_PER_THREAD - 1 - i)
                # The last `count` messages are Amili's, not seen yet.
                is_unread = i >= MESSAGES_PER_THREAD - count
                from_amili = is_unread or i % 2 == 0
                yield Message(
                    thread_id=thread_id,
                    maventa_id=f"{PREFIX}{thread_id}-{i}",
                    author_kind="amili" if from_amili else "company",
                    author_name="Visma Amili" if from_amili else "Staff",
                    body=f"Message {i + 1} of the thread",
                    sent_at=at,
                    seen_at=None if is_unread else at,
                )

    return made, insert(Message, messages(), plan.batch_size)


def _service_levels(plan: LoadPlan, company_ids: list[int]) -> int:
    rng = plan.rng("levels", 0)
    have = set(
        ServiceLevel.objects.filter(company_id__in=company_ids).values_list("company_id", flat=True)
    )
    rows = (
        ServiceLevel(
            company_id=company_id,
            customer_bid=f"{rng.randrange(10**7):07d}-0",
            level=rng.choice(("premium", "vip", "default")),
        )
        for company_id in company_ids
        if company_id not in have
    )
    return insert(ServiceLevel, rows, plan.batch_size)
