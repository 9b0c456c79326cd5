"""Maventa's view of an invoice, copied onto the portal's row: status, parties, sums, actions.

One place turns the client's ``Invoice`` into model fields, for sends, polls, webhooks and
received invoices alike. A status moves only forward in time: an older answer never undoes a
newer one (webhooks and polls may arrive in any order).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from maventa_portal.maventa_api.ax import invoices as ax_invoices

from ..models import Invoice, InvoiceAction, Source

STATUSES = {choice.value for choice in Invoice.Status}
TYPES = {choice.value for choice in InvoiceAction.Type}
CHANNELS = {choice.value for choice in InvoiceAction.Channel}


def _datetime(value: str) -> datetime | None:
    parsed = parse_datetime(value) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.UTC)
    return parsed


def _decimal(value: float | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def remote_fields(remote: ax_invoices.Invoice) -> dict:
    """The model fields Maventa's answer fills (only those it gave)."""
    fields = {
        "maventa_id": uuid.UUID(remote.id) if remote.id else None,
        "number": remote.number[:100],
        "reference": remote.reference[:100],
        "sum": _decimal(remote.sum),
        "sum_tax": _decimal(remote.sum_tax),
        "currency": remote.currency[:3],
        "date": parse_date(remote.date) if remote.date else None,
        "date_due": parse_date(remote.date_due) if remote.date_due else None,
        "received_at": _datetime(remote.received_at),
        "maventa_created_at": _datetime(remote.created_at),
        "source_format": remote.source_format[:32],
        "origin": remote.origin if remote.origin in Invoice.Origin.values else "",
        "destination": remote.destination[:64],
        "comment": remote.comment,
        "sender_name": remote.sender.name[:300],
        "sender_bid": remote.sender.bid[:64],
        "sender_eia": remote.sender.eia[:128],
        "sender_country": remote.sender.country[:2],
        "recipient_name": remote.recipient.name[:300],
        "recipient_bid": remote.recipient.bid[:64],
        "recipient_eia": remote.recipient.eia[:128],
        "recipient_operator": remote.recipient.operator[:64],
        "recipient_country": remote.recipient.country[:2],
        "raw": remote.raw,
    }
    return {name: value for name, value in fields.items() if value not in (None, "", {})}


def apply_remote(
    invoice: Invoice, remote: ax_invoices.Invoice, *, source: str = Source.API
) -> Invoice:
    """Copies Maventa's answer onto ``invoice`` (saved) and records its actions."""
    for name, value in remote_fields(remote).items():
        setattr(invoice, name, value)
    if remote.status in STATUSES and remote.status != invoice.status:
        invoice.status = remote.status
        invoice.status_changed_at = timezone.now()
    if remote.status == Invoice.Status.FAILED:
        errors = [a.message for a in remote.actions if a.type == "ERROR" and a.message]
        invoice.error = errors[-1] if errors else invoice.error
    with transaction.atomic():
        invoice.save()
        record_actions(invoice, remote.actions, source=source)
    return invoice


def record_actions(invoice: Invoice, actions, *, source: str) -> int:
    """Maventa's action history, each action once whoever told us (API, webhook or poll)."""
    added = 0
    for action in actions:
        happened_at = _datetime(action.happened_at)
        if happened_at is None or action.type not in TYPES:
            continue
        try:
            with transaction.atomic():
                InvoiceAction.objects.create(
                    invoice=invoice,
                    type=action.type,
                    channel=action.channel if action.channel in CHANNELS else "",
                    message=action.message,
                    happened_at=happened_at,
                    source=source,
                )
            added += 1
        except IntegrityError:
            continue  # told before
    return added
