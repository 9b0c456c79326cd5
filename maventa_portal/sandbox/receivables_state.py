"""What the Receivables service does with its state: activation, assignments opened for sent
invoices, events moving an assignment (open -> partially_closed -> closed), and Amili's answers.

Time moves lazily, as elsewhere in the sandbox: Amili's answers to staff messages that are due
are written when anyone reads (``answer_due``), ``answer_delay_seconds`` after the staff
message (``amili.answer_delay_seconds``, set through the control API).
"""

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import (
    Assignment,
    AssignmentEvent,
    Company,
    Invoice,
    Message,
    MessageThread,
    ReceivablesService,
)
from .receivables_fields import AMILI, AMILI_AUTHOR, COMPANY

DEFAULT_ANSWER_DELAY = 3.0
AMILI_ANSWER = (
    "Kiitos viestistänne. Olemme vastaanottaneet sen ja palaamme asiaan pian. / "
    "Thank you for your message; we will get back to you shortly."
)


class AmiliSettings:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.answer_delay_seconds = DEFAULT_ANSWER_DELAY
        self.answers = True

    def reset(self) -> None:
        with self._lock:
            self.answer_delay_seconds = DEFAULT_ANSWER_DELAY
            self.answers = True

    def snapshot(self) -> dict[str, Any]:
        return {"answer_delay_seconds": self.answer_delay_seconds, "answers": self.answers}


amili = AmiliSettings()


def service_of(company: Company) -> ReceivablesService | None:
    return ReceivablesService.objects.filter(company=company).first()


def activate(company: Company, settings: dict[str, Any]) -> ReceivablesService:
    service, _ = ReceivablesService.objects.get_or_create(company=company)
    service.settings = settings
    if service.status != ReceivablesService.Status.ACTIVE:
        service.status = ReceivablesService.Status.ACTIVE
        service.activated_at = timezone.now()
    service.save()
    return service


def disable(company: Company) -> None:
    ReceivablesService.objects.filter(company=company).update(
        status=ReceivablesService.Status.DISABLED
    )


def open_for_sent_invoices(company: Company, since_activation: bool = True) -> int:
    """An assignment for each sent invoice without one (those sent while the service is
    active, unless ``since_activation`` is False). The number opened."""
    service = service_of(company)
    if service is None or service.status != ReceivablesService.Status.ACTIVE:
        return 0
    invoices = Invoice.objects.filter(
        company=company, direction=Invoice.Direction.SENT, assignments__isnull=True
    )
    if since_activation and service.activated_at:
        invoices = invoices.filter(created_at__gte=service.activated_at)
    opened = 0
    for invoice in invoices:
        Assignment.objects.create(
            company=company,
            invoice=invoice,
            invoice_number=invoice.number,
            reference=invoice.reference,
            debtor_name=invoice.recipient_name,
            debtor_bid=invoice.recipient_bid,
            currency=invoice.currency,
            amount=invoice.sum,
            open_amount=invoice.sum,
            due_date=invoice.date_due,
        )
        opened += 1
    return opened


@transaction.atomic
def add_event(assignment: Assignment, sender: str, wanted: dict[str, Any]) -> AssignmentEvent:
    """The event, and what it does to the assignment: payments and credit notes lower the open
    amount (all of it paid: closed, with Amili's ``close``), a cancellation or ``close`` closes
    it, a due date change moves the due date."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    event = AssignmentEvent.objects.create(
        assignment=assignment,
        type=wanted["type"],
        sender=sender,
        amount=wanted.get("amount"),
        due_date=wanted.get("due_date"),
        comment=wanted.get("comment", ""),
        seen=sender == COMPANY,
    )
    kind = wanted["type"]
    if assignment.status == Assignment.Status.CLOSED:
        return event
    if kind in ("paid", "credit_note") and event.amount is not None:
        assignment.open_amount = max(Decimal("0.00"), assignment.open_amount - event.amount)
        if assignment.open_amount == 0:
            _close(assignment)
            AssignmentEvent.objects.create(assignment=assignment, type="close", sender=AMILI)
        else:
            assignment.status = Assignment.Status.PARTIALLY_CLOSED
    elif kind in ("close", "cancellation"):
        _close(assignment)
    elif kind == "due_date_change" and event.due_date is not None:
        assignment.due_date = event.due_date
    assignment.save()
    return event


def _close(assignment: Assignment) -> None:
    assignment.status = Assignment.Status.CLOSED
    assignment.closed_at = timezone.now()


def thread_for(assignment: Assignment, subject: str = "") -> MessageThread:
    thread = MessageThread.objects.filter(assignment=assignment).first()
    if thread is None:
        subject = subject or f"Invoice {assignment.invoice_number}".strip()
        thread = MessageThread.objects.create(
            company=assignment.company, assignment=assignment, subject=subject
        )
    return thread


def write_from_company(thread: MessageThread, body: str, author: str) -> Message:
    due = timezone.now() + timedelta(seconds=amili.answer_delay_seconds)
    return Message.objects.create(
        thread=thread,
        sender=COMPANY,
        author=author,
        body=body,
        seen=True,
        seen_at=timezone.now(),
        answer_due_at=due if amili.answers else None,
    )


def write_from_amili(thread: MessageThread, body: str) -> Message:
    return Message.objects.create(thread=thread, sender=AMILI, author=AMILI_AUTHOR, body=body)


def answer_due() -> int:
    """Amili's answers whose time has come; each staff message is answered once."""
    answered = 0
    now = timezone.now()
    for message in Message.objects.filter(answer_due_at__lte=now).select_related("thread"):
        # Claimed first, so two readers at once answer it once.
        if Message.objects.filter(pk=message.pk, answer_due_at__isnull=False).update(
            answer_due_at=None
        ):
            write_from_amili(message.thread, AMILI_ANSWER)
            answered += 1
    return answered
