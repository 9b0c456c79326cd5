"""The exchange app's kinds of bulk work (gathered by core.bulk.kinds)."""

from __future__ import annotations

from django.urls import reverse

from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.kinds import BulkKind, Outcome
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import BulkItem, BulkRun

from .models import Invoice
from .services import sending

SEND_INVOICES = "exchange.send_invoices"
INVOICE_GONE = "The draft was deleted after the run started."


def _invoice_url(item: BulkItem) -> str | None:
    return reverse("exchange:detail", args=[item.object_id]) if item.object_id else None


def send_for_item(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    invoice = Invoice.objects.select_related("company").filter(pk=item.object_id).first()
    if invoice is None:
        raise PortalError(INVOICE_GONE)
    if invoice.status == Invoice.Status.UNKNOWN:
        # A worker lost while sending: look the send up, never send it blindly again.
        sending.reconcile(invoice=invoice)
    else:
        sending.send_invoice(invoice=invoice, actor=actor, resend=bool(run.options.get("resend")))
    if invoice.status == Invoice.Status.UNKNOWN:
        return Outcome(sending.LOST_ANSWER, {"status": invoice.status})
    return Outcome(
        f"Sent: Maventa has it as {invoice.get_status_display().lower()}.",
        {"status": invoice.status},
    )


KINDS = [
    BulkKind(
        name=SEND_INVOICES,
        describe=lambda options: "Sending invoices",
        handle=send_for_item,
        start_permission="exchange.send_invoice",
        view_permission="exchange.view_invoice",
        object_url=_invoice_url,
        item_noun="invoice",
        items_noun="invoices",
    ),
]
