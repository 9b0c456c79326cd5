"""``seed_load`` exchange rows for the loaded companies (companies.load): invoices over the last
90 days in every status and both directions, documents, webhook events in every state, print
batches. A run adds ``plan.invoices`` invoices and the other kinds; nothing is sent anywhere.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from companies.load import loaded_companies
from maventa_portal.core.seeding import LoadPlan, insert, pick, raw_delete, uuid_from

from .models import (
    Attachment,
    DetectResult,
    Direction,
    Document,
    FraudReport,
    Invoice,
    InvoiceAction,
    WebhookEvent,
)
from .print_models import PrintBatch

# Mostly delivered, as in life; every status present so that each filter and queue has rows.
SENT_STATUSES = (("DELIVERED", 80), ("PENDING", 8), ("FAILED", 6), ("UNKNOWN", 2), ("DRAFT", 4))
RECEIVED_STATUSES = (("DELIVERED", 96), ("FAILED", 2), ("UNKNOWN", 2))
DOCUMENT_STATUSES = (
    ("DELIVERED", 60),
    ("CONFIRMED_DELIVERY", 20),
    ("PROCESSING", 8),
    ("FAILED", 6),
    ("UNKNOWN", 2),
    ("DRAFT", 4),
)
DOCUMENT_TYPES = ("ORDER", "ORDER_RESPONSE", "CREDIT_NOTE", "DESPATCH_ADVICE", "RECEIPT")
EVENT_STATES = (
    ("PROCESSED", 85),
    ("RECEIVED", 3),
    ("FAILED", 4),
    ("UNMATCHED", 4),
    ("INVALID", 2),
    ("UNKNOWN_TYPE", 2),
)
EVENT_NAMES = (
    "DOCUMENTS.INVOICES.DELIVERED",
    "DOCUMENTS.INVOICES.RECEIVED",
    "DOCUMENTS.INVOICES.FAILED",
    "NETWORKS.PEPPOL.ENABLED",
    "COMPANIES.AUTHORIZATION.VERIFIED",
)
PRINT_STATUSES = (("ACCEPTED", 80), ("FAILED", 8), ("UNKNOWN", 4), ("QUEUED", 4), ("SENDING", 4))
FINAL_PRINT = {"ACCEPTED", "FAILED"}
PRINT_PREFIX = "load-"


def load(plan: LoadPlan) -> str:
    company_ids = list(loaded_companies().order_by("pk").values_list("pk", flat=True))
    if not company_ids:
        return "no loaded companies: nothing made"
    made = [
        f"{_invoices(plan, company_ids)} invoices",
        f"{_documents(plan, company_ids)} documents",
        f"{_events(plan, company_ids)} webhook events",
        f"{_print_batches(plan, company_ids)} print batches",
    ]
    return ", ".join(made)


def reset() -> str:
    companies = loaded_companies()
    invoices = Invoice.objects.filter(company__in=companies)
    documents = Document.objects.filter(company__in=companies)
    for model in (InvoiceAction, FraudReport, DetectResult):
        raw_delete(model.objects.filter(invoice__in=invoices))
    raw_delete(Attachment.objects.filter(invoice__in=invoices))
    raw_delete(Attachment.objects.filter(document__in=documents))
    counts = [
        f"{raw_delete(invoices)} invoices",
        f"{raw_delete(documents)} documents",
        f"{raw_delete(WebhookEvent.objects.filter(company__in=companies))} webhook events",
        f"{raw_delete(PrintBatch.objects.filter(company__in=companies))} print batches",
    ]
    return "removed " + ", ".join(counts)


def _invoices(plan: LoadPlan, company_ids: list[int]) -> int:
    existing = Invoice.objects.filter(company_id__in=company_ids).count()
    rng = plan.rng("invoices", existing)

    def rows():
        for n in range(existing, existing + plan.invoices):
            direction = Direction.SENT if rng.random() < 0.55 else Direction.RECEIVED
            sent = direction == Direction.SENT
            status = pick(rng, SENT_STATUSES if sent else RECEIVED_STATUSES)
            at = plan.moment(rng)
            total = Decimal(rng.randrange(1_000, 2_000_000)) / 100
            counterparty = f"Counterparty {rng.randrange(5000):04d} Oy"
            yield Invoice(
                company_id=rng.choice(company_ids),
                direction=direction,
                maventa_id=None if status == "DRAFT" else uuid_from(rng),
                number=f"L{n:08d}",
                reference=f"{n:010d}",
                sum=(total / Decimal("1.255")).quantize(Decimal("0.01")),
                sum_tax=total,
                currency="EUR",
                date=at.date(),
                date_due=(at + timedelta(days=14)).date(),
                source_format="FINVOICE30",
                status=status,
                status_changed_at=at + timedelta(minutes=rng.randrange(1, 600)),
                recipient_name=counterparty if sent else "",
                sender_name="" if sent else counterparty,
                sent_at=at if sent and status != "DRAFT" else None,
                received_at=None if sent else at,
                created_at=at,
                updated_at=at,
            )

    return insert(Invoice, rows(), plan.batch_size)


def _documents(plan: LoadPlan, company_ids: list[int]) -> int:
    existing = Document.objects.filter(company_id__in=company_ids).count()
    rng = plan.rng("documents", existing)

    def rows():
        for n in range(existing, existing + plan.documents):
            sent = rng.random() < 0.5
            at = plan.moment(rng)
            status = pick(rng, DOCUMENT_STATUSES) if sent else "DELIVERED"
            yield Document(
                company_id=rng.choice(company_ids),
                direction=Direction.SENT if sent else Direction.RECEIVED,
                maventa_id=None if status == "DRAFT" else uuid_from(rng),
                transmission_id=f"load-{n:08d}" if sent else None,
                type=rng.choice(DOCUMENT_TYPES),
                status=status,
                status_changed_at=at,
                number=f"D{n:08d}",
                network="PEPPOL",
                sent_at=at if sent and status != "DRAFT" else None,
                received_at=None if sent else at,
                delivered_at=at if status in {"DELIVERED", "CONFIRMED_DELIVERY"} else None,
                created_at=at,
                updated_at=at,
            )

    return insert(Document, rows(), plan.batch_size)


def _events(plan: LoadPlan, company_ids: list[int]) -> int:
    existing = WebhookEvent.objects.filter(company_id__in=company_ids).count()
    rng = plan.rng("events", existing)

    def rows():
        for _ in range(plan.events):
            at = plan.moment(rng)
            name = rng.choice(EVENT_NAMES)
            state = pick(rng, EVENT_STATES)
            object_id = str(uuid_from(rng))
            yield WebhookEvent(
                dedupe_key=uuid_from(rng).hex,
                name=name,
                family=name.split(".")[0]
                if name.startswith(("DOCUMENTS", "NETWORKS"))
                else "AUTHORIZATION",
                company_id=rng.choice(company_ids),
                object_id=object_id,
                event_timestamp=at,
                body=json.dumps({"event": name, "event_data": {"id": object_id}}),
                received_at=at,
                last_seen_at=at,
                state=state,
                processed_at=at if state == "PROCESSED" else None,
                updated_at=at,
            )

    return insert(WebhookEvent, rows(), plan.batch_size)


def _print_batches(plan: LoadPlan, company_ids: list[int]) -> int:
    existing = PrintBatch.objects.filter(filename__startswith=PRINT_PREFIX).count()
    rng = plan.rng("print", existing)

    def rows():
        for n in range(existing, existing + plan.print_batches):
            at = plan.moment(rng)
            status = pick(rng, PRINT_STATUSES)
            yield PrintBatch(
                company_id=rng.choice(company_ids),
                filename=f"{PRINT_PREFIX}{n:07d}.zip",
                checksum=f"{rng.getrandbits(160):040x}",
                size=rng.randrange(10_000, 5_000_000),
                letters=rng.randrange(1, 200),
                document_type="PDFXML",
                letter_class=rng.choice(("priority", "economy")),
                status=status,
                final=status in FINAL_PRINT,
                request_key=f"{PRINT_PREFIX}{n:07d}",
                created_at=at,
                sent_at=None if status == "QUEUED" else at,
            )

    return insert(PrintBatch, rows(), plan.batch_size)
