"""An invoice staff upload is read and kept as a draft first: shown, checked, then sent.

Everything that can be refused locally is refused here, before Maventa hears of it: a file
that is not an invoice (with what it is instead), an unsafe or broken file, a company that
cannot send yet. A file already sent for the same company (same SHA-256) is allowed only
when staff confirm the resend on the send step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from companies.access import ensure_can_exchange
from companies.models import Company
from exchange import formats
from exchange.files import store
from exchange.models import Attachment, Direction, Invoice
from exchange.summaries import summary_to_json
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import Refused

ROUTES = ("einvoice", "email", "print")
LANGUAGES = ("FI", "SE", "NO", "DK", "NL", "EN")
NOT_AN_INVOICE = "{reason} Send it as a document instead (Exchange, Send a document)."
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class SendOptions:
    """What staff may set for a send (FIELDS.md section 5, POST /v1/invoices)."""

    recipient_eia: str = ""
    recipient_operator: str = ""
    recipient_email: str = ""
    disabled_routes: tuple[str, ...] = ()
    lang: str = ""
    sender_comment: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "recipient_eia": self.recipient_eia,
            "recipient_operator": self.recipient_operator,
            "recipient_email": self.recipient_email,
            "disabled_routes": list(self.disabled_routes),
            "lang": self.lang,
            "sender_comment": self.sender_comment,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SendOptions:
        return cls(
            recipient_eia=data.get("recipient_eia", ""),
            recipient_operator=data.get("recipient_operator", ""),
            recipient_email=data.get("recipient_email", ""),
            disabled_routes=tuple(data.get("disabled_routes") or ()),
            lang=data.get("lang", ""),
            sender_comment=data.get("sender_comment", ""),
        )


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass
class Draft:
    invoice: Invoice
    duplicates: list[Invoice] = field(default_factory=list)


def read_invoice(data: bytes) -> formats.InvoiceSummary:
    """The invoice the file holds; a document of another kind is refused with the way out."""
    try:
        return formats.parse(data)
    except formats.NotAnInvoice as exc:
        raise Refused(NOT_AN_INVOICE.format(reason=exc.staff_message)) from exc


def earlier_sends(company: Company, xml_checksum: str, *, exclude: int | None = None):
    """The same file already sent (or being sent) for the company."""
    return (
        Invoice.objects.filter(company=company, direction=Direction.SENT, xml_checksum=xml_checksum)
        .exclude(status=Invoice.Status.DRAFT)
        .exclude(pk=exclude)
        .order_by("-sent_at")
    )


def prepare_invoice(
    *,
    company: Company,
    xml: Upload,
    options: SendOptions,
    image: Upload | None = None,
    attachments: list[Upload] | tuple[Upload, ...] = (),
    actor: Actor | None = None,
) -> Draft:
    """Reads and keeps the upload as a draft invoice of ``company``; nothing is sent."""
    asked = {"file": xml.name, "image": bool(image), "attachments": len(attachments)}
    with recording(actor, "invoice.prepare", target=Invoice, company=company, asked=asked) as rec:
        draft = _prepare(company, xml, options, image, attachments, actor)
        rec.target = draft.invoice
        return draft


def _prepare(company, xml, options, image, attachments, actor) -> Draft:
    ensure_can_exchange(company)
    summary = read_invoice(xml.data)
    if len(attachments) > MAX_ATTACHMENTS:
        raise Refused(f"At most {MAX_ATTACHMENTS} attachments go with one invoice.")
    invoice = Invoice(
        company=company,
        direction=Direction.SENT,
        status=Invoice.Status.DRAFT,
        number=summary.number[:100],
        reference=summary.payment.reference[:100],
        sum=summary.totals.tax_exclusive,
        sum_tax=summary.totals.tax_inclusive,
        currency=summary.currency[:3],
        date=summary.issue_date,
        date_due=summary.due_date,
        source_format=summary.format.value,
        sender_name=summary.seller.name[:300],
        sender_bid=summary.seller.business_id[:64],
        sender_eia=str(summary.seller.electronic_address or "")[:128],
        sender_country=summary.seller.address.country[:2],
        recipient_name=summary.buyer.name[:300],
        recipient_bid=summary.buyer.business_id[:64],
        recipient_eia=(options.recipient_eia or str(summary.buyer.electronic_address or ""))[:128],
        recipient_operator=options.recipient_operator[:64],
        recipient_country=summary.buyer.address.country[:2],
        summary=summary_to_json(summary),
        send_options=options.as_dict(),
        sent_by=_user(actor),
        status_changed_at=timezone.now(),
    )
    invoice.xml_checksum = store(invoice.xml, _safe_name(xml.name, "invoice.xml"), xml.data)
    if image is not None:
        store(invoice.image, _safe_name(image.name, "invoice.pdf"), image.data)
    with transaction.atomic():
        invoice.save()
        for upload in attachments:
            attachment = Attachment(
                invoice=invoice, filename=_safe_name(upload.name, "attachment")[:255]
            )
            attachment.checksum = store(attachment.file, attachment.filename, upload.data)
            attachment.size = len(upload.data)
            attachment.save()
    return Draft(invoice, list(earlier_sends(company, invoice.xml_checksum, exclude=invoice.pk)))


def _user(actor: Actor | None):
    user = getattr(actor, "user", None)
    return user if getattr(user, "pk", None) else None


def _safe_name(name: str, default: str) -> str:
    """A plain file name: no directories, no control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base.strip(". ") or default
