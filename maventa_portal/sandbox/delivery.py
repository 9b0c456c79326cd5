"""Time in the imitated exchange: sent invoices and documents delivered, failed, received.

Outcomes are drawn when a send is created (``plan_invoice``, ``plan_document``) and stored on
its row; whoever notices one is due first, a read (``advance``) or the control API's tick,
makes the change, dated at its due moment. Each change is a conditional UPDATE from the status
that was read, so a read and a tick racing make it once and record one event (the pattern of
``registrations.py``).

A sent invoice: PENDING, then at ``deliver_at`` SENT and DELIVERED actions (or an ERROR action)
and the DOCUMENTS.INVOICE.DELIVERED (FAILED) event; a delivered one may fail later
(``late_failure_at``: API.md, FAILED "can happen after the DELIVERED event"). One delivered to a
sandbox company is received there as a copy. Documents go PROCESSING -> DELIVERED or FAILED the
same way.
"""

import threading
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import directory, documents, einvoice, events, incoming, invoices
from .exchange_schedule import draw, exchange_schedule
from .models import Document, Invoice, InvoiceFile
from .routing import Route
from .uploads import Upload

Status = Invoice.Status
RANDOM_FAILURE = "Delivery failed: the recipient's operator refused the invoice"
LATE_FAILURES = {
    "PRINT": "Letter returned to sender: recipient unknown at the address",
    "EMAIL": "Email delivery failed afterwards: the recipient's mailbox does not exist",
}
LATE_FAILURE = "The recipient's operator rejected the invoice after delivery"
DOCUMENT_FAILURE = "Delivery failed: the recipient's access point refused the document"


# Every exchange read brings the exchange up to now, but more than a few times a second that
# only costs queries (a sync downloads hundreds of files a second). A change that may fall due
# sooner (a send, a new schedule) made in this process has the next read look at once; another
# serving process notices within LAZY_SECONDS, as a real network's delivery takes its time.
LAZY_SECONDS = 0.25


class _Lazy:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._looked_at = float("-inf")

    def due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now - self._looked_at < LAZY_SECONDS:
                return False
            self._looked_at = now
            return True

    def look_again(self) -> None:
        with self._lock:
            self._looked_at = float("-inf")


lazy = _Lazy()


def plan_invoice(invoice: Invoice, route: Route, now: datetime) -> None:
    """Sets when and how ``invoice`` (not yet saved) leaves PENDING."""
    lazy.look_again()
    config = exchange_schedule.config
    invoice.destination = route.destination
    invoice.deliver_at = now + timedelta(seconds=config.invoice_delivery_seconds)
    invoice.fails_with = route.failure or (
        RANDOM_FAILURE if draw(config.invoice_failure_rate) else ""
    )
    invoice.late_failure_at = None
    invoice.late_failure_message = ""
    if not invoice.fails_with and draw(config.late_failure_rate):
        invoice.late_failure_at = invoice.deliver_at + timedelta(
            seconds=config.late_failure_seconds
        )
        invoice.late_failure_message = LATE_FAILURES.get(route.destination, LATE_FAILURE)


def plan_document(document: Document, failure: str, now: datetime) -> None:
    lazy.look_again()
    config = exchange_schedule.config
    document.deliver_at = now + timedelta(seconds=config.document_delivery_seconds)
    document.fails_with = failure or (
        DOCUMENT_FAILURE if draw(config.document_failure_rate) else ""
    )


def _finish_invoice(invoice: Invoice) -> str | None:
    """Delivers or fails one due invoice; the status it moved to, None if someone was first."""
    at = invoice.deliver_at
    status = Status.FAILED if invoice.fails_with else Status.DELIVERED
    channel = _channel(invoice)
    with transaction.atomic():
        moved = Invoice.objects.filter(pk=invoice.pk, status=Status.PENDING, deliver_at=at).update(
            status=status
        )
        if not moved:
            return None
        invoice.status = status
        if status == Status.FAILED:
            invoices.add_action(invoice, "ERROR", at, channel, invoice.fails_with)
            events.invoice_event(invoice, events.FAILED, at, invoice.fails_with)
            return status
        invoices.add_action(invoice, "SENT", at, channel, f"Sent via {invoice.destination}")
        invoices.add_action(invoice, "DELIVERED", at, channel)
        events.invoice_event(invoice, events.DELIVERED, at)
        if invoice.destination == "VISMA":
            _receive_copy(invoice, at)
    return status


def _channel(invoice: Invoice) -> str:
    return {"EMAIL": "EMAIL", "PRINT": "PRINT", "": ""}.get(invoice.destination, "EINVOICE")


def _receive_copy(sent: Invoice, at: datetime) -> None:
    receiver = directory.find_receiver(sent.recipient_eia)
    if receiver is None or receiver.company is None or sent.copies.exists():
        return
    files = {role: [f for f in sent.files.all() if f.role == role] for role in InvoiceFile.Role}
    xml = files[InvoiceFile.Role.XML][0]
    read = einvoice.read_invoice(bytes(xml.content))

    def upload(f: InvoiceFile) -> Upload:
        return Upload(f.filename, bytes(f.content), f.mimetype)

    image = files[InvoiceFile.Role.IMAGE]
    invoices.receive_invoice(
        company=receiver.company,
        read=read,
        files=(
            upload(xml),
            upload(image[0]) if image else None,
            [upload(f) for f in files[InvoiceFile.Role.ATTACHMENT]],
        ),
        at=at,
        origin=Invoice.Origin.INTERNAL,
        network="VISMA",
        source=sent,
    )


def _fail_late(invoice: Invoice) -> bool:
    at, message = invoice.late_failure_at, invoice.late_failure_message
    with transaction.atomic():
        moved = Invoice.objects.filter(
            pk=invoice.pk, status=Status.DELIVERED, late_failure_at=at
        ).update(status=Status.FAILED)
        if not moved:
            return False
        invoice.status = Status.FAILED
        invoices.add_action(invoice, "ERROR", at, _channel(invoice), message)
        events.invoice_event(invoice, events.FAILED, at, message)
    return True


def _each_due(due, moment: str):
    if not due.exists():
        return ()
    return due.select_related("company").order_by(moment, "id")


def move_invoices(now: datetime) -> dict[str, int]:
    counts = {"invoices_delivered": 0, "invoices_failed": 0}
    due = Invoice.objects.filter(
        direction=Invoice.Direction.SENT, status=Status.PENDING, deliver_at__lte=now
    )
    # Every exchange read asks; an EXISTS probe first keeps the usual "nothing due" cheap.
    for invoice in _each_due(due, "deliver_at"):
        moved = _finish_invoice(invoice)
        if moved:
            counts[f"invoices_{moved.lower()}"] += 1
    late = Invoice.objects.filter(status=Status.DELIVERED, late_failure_at__lte=now)
    for invoice in _each_due(late, "late_failure_at"):
        counts["invoices_failed"] += _fail_late(invoice)
    return counts


def move_documents(now: datetime) -> dict[str, int]:
    counts = {"documents_delivered": 0, "documents_failed": 0}
    due = Document.objects.filter(
        direction=Document.Direction.SENT,
        status=Document.Status.PROCESSING,
        deliver_at__lte=now,
    )
    for document in _each_due(due, "deliver_at"):
        moved = documents.finish(document)
        if moved:
            counts[f"documents_{moved.lower()}"] += 1
    return counts


def advance() -> dict[str, int]:
    """Every due change of the exchange now; the lazy half, run by each exchange read."""
    now = timezone.now()
    return {
        **move_invoices(now),
        **move_documents(now),
        "invoices_received": incoming.trickle(now),
    }


tick = advance


def advance_lazily() -> None:
    """``advance``, unless this process did it a moment ago (``LAZY_SECONDS``)."""
    if lazy.due():
        advance()


class CannotForce(Exception):
    pass


def force_invoice(invoice: Invoice, status: str, message: str = "") -> Invoice:
    """The control API's verdict, now: a PENDING send is delivered or fails; a DELIVERED one
    fails (as a late failure would). The event and actions are those of the lifecycle."""
    now = timezone.now()
    if invoice.direction != Invoice.Direction.SENT:
        raise CannotForce("Only sent invoices move; received ones are DELIVERED")
    if invoice.status == Status.PENDING:
        fails_with = (message or RANDOM_FAILURE) if status == Status.FAILED else ""
        Invoice.objects.filter(pk=invoice.pk).update(deliver_at=now, fails_with=fails_with)
        invoice.refresh_from_db()
        _finish_invoice(invoice)
    elif invoice.status == Status.DELIVERED and status == Status.FAILED:
        failure = message or LATE_FAILURES.get(invoice.destination, LATE_FAILURE)
        Invoice.objects.filter(pk=invoice.pk).update(
            late_failure_at=now, late_failure_message=failure
        )
        invoice.refresh_from_db()
        _fail_late(invoice)
    elif invoice.status != status:
        raise CannotForce(f"A {invoice.status} invoice cannot become {status}")
    invoice.refresh_from_db()
    return invoice


def force_document(document: Document, status: str, message: str = "") -> Document:
    if document.status != Document.Status.PROCESSING:
        if document.status == status:
            return document
        raise CannotForce(f"A {document.status} document cannot become {status}")
    fails_with = (message or DOCUMENT_FAILURE) if status == Document.Status.FAILED else ""
    Document.objects.filter(pk=document.pk).update(deliver_at=timezone.now(), fails_with=fails_with)
    document.refresh_from_db()
    documents.finish(document)
    document.refresh_from_db()
    return document
