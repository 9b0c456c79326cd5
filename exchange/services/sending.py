"""Sending an invoice to Maventa exactly once.

The portal gives every send its own uuid (POST /v1/invoices `uuid`; Maventa uses it as the
invoice's id, FIELDS.md section 5) and stores it, with the status UNKNOWN, before the call.
Whatever happens next (an answer, a lost answer, a worker killed mid-call) the send can be
found again: ``reconcile`` looks the uuid up on Maventa and sends again only when Maventa
certainly has no copy (404). A send that certainly failed (refused, or never left) goes back
to DRAFT with the reason, for staff to correct and send again.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from companies.access import company_api, ensure_can_exchange
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import PortalError, Refused
from maventa_portal.maventa_api import AmbiguousOutcome, MaventaError, NotFound, validator
from maventa_portal.maventa_api.ax import invoices as ax_invoices
from maventa_portal.maventa_api.ax import lookup as ax_lookup

from ..models import Invoice
from .drafts import SendOptions, earlier_sends
from .mirror import apply_remote

log = logging.getLogger(__name__)

Status = Invoice.Status
RECONCILE_TASK = "exchange.tasks.reconcile_invoice"
LOOKUP_NETWORKS = ("PEPPOL", "INTERNAL", "EXTERNAL")
NOT_A_DRAFT = "This invoice was sent already ({status}); it is not sent again from here."
DUPLICATE = (
    "The same file was already sent for {company} (invoice {number}, {when}). Tick "
    "“Send it again” to send it once more."
)
LOST_ANSWER = (
    "Maventa did not answer in time. The invoice is marked Unknown: the portal looks it up by "
    "its id before anything is sent again, so it is never sent twice."
)
CANNOT_RECEIVE = (
    "Maventa finds no e-invoice receiver for {recipient}: it will deliver by email or print "
    "unless those routes are disabled. Give the recipient's email address for email delivery."
)


@dataclass
class Checks:
    """What Maventa says of a draft before it is sent; either part may be unavailable."""

    findings: list[validator.Finding] = field(default_factory=list)
    blocking: bool = False
    validation_error: str = ""
    receivers: list[ax_lookup.Receiver] = field(default_factory=list)
    lookup_error: str = ""
    advice: str = ""


def check_invoice(invoice: Invoice) -> Checks:
    """Maventa's Validator findings and the receiver lookup for a draft (staff's preview)."""
    checks = Checks()
    company = invoice.company
    try:
        report = validator.validate(
            company_api(company, scope=validator.SCOPE),
            file=invoice.xml.open("rb").read(),
            filename=invoice.xml.name.rsplit("/", 1)[-1],
            format=invoice.source_format,
        )
        checks.findings, checks.blocking = list(report.findings), bool(report.errors)
    except (MaventaError, PortalError) as exc:
        checks.validation_error = getattr(exc, "staff_message", str(exc))
    finally:
        invoice.xml.close()
    recipient = invoice.recipient_eia or invoice.recipient_bid
    try:
        checks.receivers = _receivers(invoice)
    except (MaventaError, PortalError) as exc:
        checks.lookup_error = getattr(exc, "staff_message", str(exc))
    if recipient and not checks.receivers and not checks.lookup_error:
        checks.advice = CANNOT_RECEIVE.format(recipient=invoice.recipient_name or recipient)
    return checks


def _receivers(invoice: Invoice) -> list[ax_lookup.Receiver]:
    if not (invoice.recipient_eia or invoice.recipient_bid):
        return []
    api = company_api(invoice.company, scope=ax_lookup.SCOPE)
    found = ax_lookup.find_receivers(
        api,
        network=list(LOOKUP_NETWORKS),
        eia=invoice.recipient_eia,
        bid="" if invoice.recipient_eia else invoice.recipient_bid,
    )
    return list(found.items)


def send_invoice(*, invoice: Invoice, actor: Actor | None = None, resend: bool = False) -> Invoice:
    """Sends a draft; returns it PENDING (or further), or UNKNOWN when the answer was lost."""
    asked = {
        "number": invoice.number,
        "recipient": invoice.recipient_eia or invoice.recipient_name,
        "resend": resend,
        "options": invoice.send_options,
    }
    with recording(actor, "invoice.send", target=invoice, asked=asked) as rec:
        _claim(invoice, actor, resend)
        _post(invoice)
        if invoice.status == Status.UNKNOWN:
            rec.note = LOST_ANSWER
        else:
            rec.note = f"Maventa id {invoice.maventa_id}, {invoice.get_status_display()}."
    return invoice


def _claim(invoice: Invoice, actor: Actor | None, resend: bool) -> None:
    """Marks the draft as being sent, once: two clicks or two workers never both send it."""
    ensure_can_exchange(invoice.company)
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status != Status.DRAFT:
            raise Refused(NOT_A_DRAFT.format(status=locked.get_status_display()))
        earlier = earlier_sends(locked.company, locked.xml_checksum, exclude=locked.pk).first()
        if earlier is not None and not resend:
            when = timezone.localtime(earlier.sent_at) if earlier.sent_at else "earlier"
            raise Refused(
                DUPLICATE.format(
                    company=locked.company, number=earlier.number or earlier.pk, when=when
                )
            )
        user = getattr(actor, "user", None)
        locked.send_uuid = locked.send_uuid or uuid.uuid4()
        locked.status, locked.status_changed_at = Status.UNKNOWN, timezone.now()
        locked.sent_at, locked.error = timezone.now(), ""
        locked.sent_by = user if getattr(user, "pk", None) else locked.sent_by
        locked.save()
    invoice.refresh_from_db()


def _post(invoice: Invoice) -> None:
    """One POST /v1/invoices with the stored uuid; the invoice ends PENDING+, UNKNOWN or DRAFT."""
    options = SendOptions.from_dict(invoice.send_options)
    try:
        remote = ax_invoices.send_invoice(
            company_api(invoice.company, scope=ax_invoices.SCOPE),
            file=_read(invoice.xml),
            filename=invoice.xml.name.rsplit("/", 1)[-1],
            format=invoice.source_format,
            recipient_eia=options.recipient_eia,
            recipient_email=options.recipient_email,
            recipient_operator=options.recipient_operator,
            disabled_routes=options.disabled_routes,
            sender_comment=options.sender_comment,
            uuid=str(invoice.send_uuid),
            lang=options.lang,
            pdf=_read(invoice.image) if invoice.image else None,
            attachments=[(a.filename, _read(a.file)) for a in invoice.attachments.all()],
        )
    except AmbiguousOutcome:
        log.warning("Send of invoice %s lost its answer; it is looked up next", invoice.pk)
        transaction.on_commit(lambda: _enqueue_reconcile(invoice.pk), robust=True)
        return
    except (MaventaError, PortalError) as exc:
        # Certainly not sent (refused, or it never reached Maventa): staff correct and retry.
        Invoice.objects.filter(pk=invoice.pk, status=Status.UNKNOWN).update(
            status=Status.DRAFT, error=getattr(exc, "staff_message", str(exc))[:2000]
        )
        invoice.refresh_from_db()
        raise
    apply_remote(invoice, remote)


def reconcile(*, invoice: Invoice) -> Invoice:
    """An UNKNOWN send: found on Maventa by its uuid, or sent again when Maventa has no copy."""
    if invoice.status != Status.UNKNOWN or invoice.send_uuid is None:
        return invoice
    api = company_api(invoice.company, scope=ax_invoices.SCOPE)
    try:
        remote = ax_invoices.get_invoice(api, invoice_id=str(invoice.send_uuid))
    except NotFound:
        log.info("Maventa has no copy of invoice %s: sending it now", invoice.pk)
        with recording(None, "invoice.resend_after_lost_answer", target=invoice):
            _post(invoice)
        return invoice
    apply_remote(invoice, remote)
    return invoice


def _enqueue_reconcile(invoice_id: int) -> None:
    from django_q.tasks import async_task

    async_task(RECONCILE_TASK, invoice_id, save=False)


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def reconcile_unknown() -> dict[str, int]:
    """The schedule's sweep over every UNKNOWN send (a lost task, a killed worker)."""
    counts = {"found": 0, "failed": 0}
    unknown = Invoice.objects.filter(status=Status.UNKNOWN).select_related("company")
    for invoice in unknown:
        try:
            reconcile(invoice=invoice)
            counts["found"] += invoice.status != Status.UNKNOWN
        except (MaventaError, PortalError) as exc:
            counts["failed"] += 1
            log.warning("Could not reconcile invoice %s: %s", invoice.pk, exc)
    return counts
