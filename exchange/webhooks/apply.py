"""What each event changes in the portal (API.md "Webhooks"; the payloads in FIELDS.md 4).

- ``DOCUMENTS.<TYPE>.DELIVERED | DELIVERY_CONFIRMED | FAILED``: the sent invoice (by
  ``invoice_id``) or document (by ``document_id``, or an invoice id the portal sent as a
  document) moves on, and the event joins its timeline. A status only moves forward (FAILED
  after DELIVERED wins; DELIVERED after FAILED does not undo it), and an event older than the
  last status change never moves it: deliveries arrive late and out of order.
- ``DOCUMENTS.<TYPE>.RECEIVED``: the invoice or document is fetched now, by the code the
  received-invoice and received-document polls use.
- ``NETWORKS.*`` and ``COMPANIES.AUTHORIZATION.*``: the companies app's apply functions.
- ``SERVICES.<SERVICE>.<STATE>``: handed to the handler another app registered for the name
  (``core.webhook_handlers``; receivables for ``SERVICES.RECEIVABLES.*``), outside any
  transaction, as the handler reads the state from Maventa rather than trusting the payload.

An invoice or document the portal does not hold (sent by another system of the company) is
left alone: the event is processed with a note. ``apply_local`` runs inside the processing
transaction, under the event's lock; ``outside_transaction`` calls Maventa (or a handler that
does) and so runs outside any.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from companies.access import company_api
from companies.services import apply_authorization_event, apply_network_event
from maventa_portal.core import webhook_handlers
from maventa_portal.maventa_api.ax import documents as ax_documents
from maventa_portal.maventa_api.ax import invoices as ax_invoices

from ..models import Direction, Document, Invoice, Source, WebhookEvent
from ..services import document_mirror
from ..services.mirror import record_actions
from ..services.received import fetch_one

State = WebhookEvent.State
Family = WebhookEvent.Family
InvoiceStatus = Invoice.Status
# How far along a sent invoice is; a webhook never moves it to a lower rank.
INVOICE_RANK = {
    InvoiceStatus.DRAFT: 0,
    InvoiceStatus.UNKNOWN: 0,
    InvoiceStatus.PENDING: 1,
    InvoiceStatus.DELIVERED: 2,
    InvoiceStatus.FAILED: 3,
}
INVOICE_STATUS = {
    "DELIVERED": InvoiceStatus.DELIVERED,
    "DELIVERY_CONFIRMED": InvoiceStatus.DELIVERED,
    "FAILED": InvoiceStatus.FAILED,
}
NOT_IN_PORTAL = "No {what} {id} of this company in the portal: nothing to update."
MOVED = "{what} {label}: {before} -> {after}."
KEPT = "{what} {label} stays {status}: {why}; added to its timeline."
OLDER = "the event is older than its last status change"
FURTHER = "its status is as far along or further"
NO_PROFILE_ID = "The event names no network profile id."
CONFIRMED = "Delivery confirmed by the recipient."
NO_HANDLER = "Nothing in the portal handles {name}: stored only."


@dataclass(frozen=True)
class Result:
    state: str
    outcome: str


def _data(event: WebhookEvent) -> dict:
    data = event.payload.get("event_data")
    return data if isinstance(data, dict) else {}


def _change(event: WebhookEvent) -> str:
    return event.name.rsplit(".", 1)[-1]


def _moment(event: WebhookEvent) -> datetime:
    return event.event_timestamp or event.received_at


def apply_local(event: WebhookEvent) -> Result:
    """Applies an event that needs nothing from Maventa; the caller holds the transaction."""
    data, timestamp = _data(event), event.payload.get("event_timestamp")
    if event.family == Family.NETWORKS:
        if not data.get("id"):
            raise ValueError(NO_PROFILE_ID)
        profile = apply_network_event(
            company_id=event.maventa_company_id,
            event=event.name,
            event_data=data,
            event_timestamp=timestamp,
        )
        return Result(State.PROCESSED, f"{profile.network} profile is {profile.status}.")
    if event.family == Family.AUTHORIZATION:
        company = apply_authorization_event(
            company_id=event.maventa_company_id,
            state=str(data.get("state") or _change(event)),
            event_timestamp=timestamp,
        )
        return Result(State.PROCESSED, f"Company state is {company.company_state}.")
    return apply_delivery(event)


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def apply_delivery(event: WebhookEvent) -> Result:
    data = _data(event)
    invoice_id, document_id = _uuid(data.get("invoice_id")), _uuid(data.get("document_id"))
    if invoice_id is not None:
        invoice = (
            Invoice.objects.select_for_update()
            .filter(maventa_id=invoice_id, company=event.company, direction=Direction.SENT)
            .first()
        )
        if invoice is not None:
            return _invoice_delivery(event, invoice, data)
    wanted = document_id or invoice_id
    document = (
        Document.objects.select_for_update()
        .filter(maventa_id=wanted, company=event.company, direction=Direction.SENT)
        .first()
        if wanted
        else None
    )
    if document is not None:
        return _document_delivery(event, document, data)
    what = "invoice" if invoice_id else "document"
    return Result(State.PROCESSED, NOT_IN_PORTAL.format(what=what, id=wanted or "–"))


def _invoice_delivery(event: WebhookEvent, invoice: Invoice, data: dict) -> Result:
    change, at = _change(event), _moment(event)
    status = INVOICE_STATUS[change]
    message = str(data.get("error_message") or "")
    if change == "DELIVERY_CONFIRMED":
        message = CONFIRMED
    elif change == "DELIVERED" and data.get("destination"):
        message = f"Delivered by {data['destination']}."
    action = ax_invoices.InvoiceAction(
        type="ERROR" if status == InvoiceStatus.FAILED else "DELIVERED",
        happened_at=at.isoformat(),
        message=message,
    )
    record_actions(invoice, [action], source=Source.WEBHOOK)
    label, before = invoice.number or invoice.maventa_id, invoice.status
    why = _kept_because(invoice.status_changed_at, at, INVOICE_RANK, before, status)
    if why:
        return Result(
            State.PROCESSED, KEPT.format(what="Invoice", label=label, status=before, why=why)
        )
    invoice.status, invoice.status_changed_at = status, at
    if status == InvoiceStatus.FAILED:
        invoice.error = message
    invoice.save(update_fields=["status", "status_changed_at", "error", "updated_at"])
    return Result(
        State.PROCESSED, MOVED.format(what="Invoice", label=label, before=before, after=status)
    )


def _kept_because(changed_at, at: datetime, rank: dict, before: str, after: str) -> str:
    if changed_at is not None and at < changed_at:
        return OLDER
    if rank.get(after, 0) <= rank.get(before, 0):
        return FURTHER
    return ""


def _document_delivery(event: WebhookEvent, document: Document, data: dict) -> Result:
    change, at = _change(event), _moment(event)
    status = document_mirror.status_of(change)
    message = str(data.get("error_message") or "")
    told = ax_documents.DocumentEvent(created_at=at.isoformat(), code=change, message=message)
    document.events = document_mirror.merge_events(document.events or [], [told])
    label, before = document.number or document.maventa_id, document.status
    why = _kept_because(document.status_changed_at, at, document_mirror.RANK, before, status)
    if not why:
        document.status, document.status_changed_at = status, at
        if status == Document.Status.FAILED:
            document.error = message
        if status == Document.Status.DELIVERED and document.delivered_at is None:
            document.delivered_at = at
    document.save()
    if why:
        return Result(
            State.PROCESSED, KEPT.format(what="Document", label=label, status=before, why=why)
        )
    return Result(
        State.PROCESSED, MOVED.format(what="Document", label=label, before=before, after=status)
    )


def fetch_received(event: WebhookEvent) -> Result:
    """``DOCUMENTS.<TYPE>.RECEIVED``: the invoice or document fetched from Maventa now."""
    data, company = _data(event), event.company
    invoice_id, document_id = _uuid(data.get("invoice_id")), _uuid(data.get("document_id"))
    if invoice_id is not None:
        outcome = fetch_one(company, str(invoice_id))
        return Result(State.PROCESSED, f"Received invoice {invoice_id}: {outcome}.")
    if document_id is None:
        raise ValueError("The event names no invoice_id or document_id.")
    api = company_api(company, scope=ax_documents.SCOPE)
    remote = ax_documents.get_document(api, document_id=str(document_id))
    document = Document.objects.filter(maventa_id=document_id).first()
    new = document is None
    if new:
        document = Document(
            company=company, direction=Direction.RECEIVED, status=Document.Status.PROCESSING
        )
    document_mirror.apply_remote(document, remote)
    files = document_mirror.download_files(api, document, document_mirror.files_of(api, remote))
    what = "new" if new else "updated"
    return Result(
        State.PROCESSED, f"Received document {remote.number or document_id}: {what}, {files} files."
    )


def hand_over(event: WebhookEvent) -> Result:
    """A ``SERVICES`` event to the app that registered for it; its outcome recorded."""
    handler = webhook_handlers.handler_for(event.name)
    if handler is None:
        return Result(State.PROCESSED, NO_HANDLER.format(name=event.name))
    outcome = handler(company=event.company, name=event.name, data=_data(event))
    return Result(State.PROCESSED, str(outcome))


def outside_transaction(event: WebhookEvent) -> Result:
    """The work of an event that ``needs_maventa``, done outside any transaction."""
    if event.family == Family.SERVICES:
        return hand_over(event)
    return fetch_received(event)


def needs_maventa(event: WebhookEvent) -> bool:
    if event.family == Family.SERVICES:
        return True
    return event.family == Family.DOCUMENTS and _change(event) == "RECEIVED"
