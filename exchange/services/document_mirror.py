"""Maventa's view of a document, copied onto the portal's row: status, parties, events, files.

One place turns the client's ``Document`` into model fields, for sends, lookups, refreshes and
received documents alike (FIELDS.md section 6). A status does not move back: a delivered
document stays delivered when an older answer says PROCESSING. Events are kept once each,
whoever told them; Maventa's events endpoint answers the latest one only (the schema's one
object), so the list grows as the portal hears of each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from maventa_portal.maventa_api import Api
from maventa_portal.maventa_api.ax import documents as ax_documents

from ..files import store
from ..models import Attachment, Direction, Document

Status = Document.Status
# How far along a status is; an answer never moves a document to a lower rank.
RANK = {
    Status.DRAFT: 0,
    Status.UNKNOWN: 0,
    Status.PROCESSING: 1,
    Status.RESERVED: 1,
    Status.DELIVERED: 2,
    Status.CONFIRMED_DELIVERY: 3,
    Status.FAILED: 3,
}
PRIMARY = "PRIMARY_FILE"


def status_of(remote_status: str) -> str:
    # API.md's webhooks spell DELIVERY_CONFIRMED; the schema CONFIRMED_DELIVERY (section 12).
    if remote_status in ax_documents.CONFIRMED_STATUSES:
        return Status.CONFIRMED_DELIVERY
    return remote_status if remote_status in RANK else ""


def _datetime(value: str) -> datetime | None:
    parsed = parse_datetime(value) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.UTC)
    return parsed


def _type(value: str) -> str:
    return value if value in Document.Type.values else ""


def remote_fields(remote: ax_documents.Document, *, direction: str) -> dict:
    """The model fields Maventa's answer fills (only those it gave)."""
    sender, recipient = remote.sender, remote.recipient
    fields = {
        "maventa_id": uuid.UUID(remote.id) if remote.id else None,
        "type": _type(remote.type),
        "number": remote.number[:100],
        "reference": remote.reference[:100],
        "network": remote.network[:32],
        "source_format": remote.source_format[:32],
        "maventa_created_at": _datetime(remote.created_at),
        "delivered_at": _datetime(remote.delivered_at),
        "received_at": _datetime(remote.received_at),
        "sender_name": sender.name[:300],
        "sender_bid": sender.bid[:64],
        "sender_eia": sender.eia[:128],
        "sender_country": sender.country[:2],
        "recipient_name": recipient.name[:300],
        "recipient_bid": recipient.bid[:64],
        "recipient_eia": recipient.eia[:128],
        "recipient_operator": recipient.operator[:64],
        "recipient_country": recipient.country[:2],
        "raw": remote.raw,
    }
    # The transmission_id column is the portal's own id of a send; a received document's
    # (its sender's) stays in ``raw``, where it cannot collide with one of ours.
    if direction == Direction.SENT and remote.transmission_id:
        fields["transmission_id"] = remote.transmission_id[:100]
    return {name: value for name, value in fields.items() if value not in (None, "", {})}


def event_json(event: ax_documents.DocumentEvent) -> dict:
    return {
        "code": event.code,
        "message": event.message,
        "details": event.details,
        "created_at": event.created_at,
    }


def merge_events(known: list[dict], told: Iterable[ax_documents.DocumentEvent]) -> list[dict]:
    """``known`` with the events not yet in it, oldest first."""
    merged = list(known)
    seen = {(e.get("code"), e.get("created_at"), e.get("message")) for e in merged}
    for event in told:
        key = (event.code, event.created_at, event.message)
        if event.created_at and key not in seen:
            seen.add(key)
            merged.append(event_json(event))
    return sorted(merged, key=lambda e: e.get("created_at") or "")


def apply_remote(
    document: Document,
    remote: ax_documents.Document,
    *,
    events: Iterable[ax_documents.DocumentEvent] = (),
) -> Document:
    """Copies Maventa's answer (and any events read beside it) onto ``document``, saved."""
    for name, value in remote_fields(remote, direction=document.direction).items():
        setattr(document, name, value)
    status = status_of(remote.status)
    if status and status != document.status and RANK[status] >= RANK.get(document.status, 0):
        document.status, document.status_changed_at = status, timezone.now()
        document.error = ""
    told = list(events)
    if remote.last_event.created_at:
        told.append(remote.last_event)
        document.last_event = event_json(remote.last_event)
    document.events = merge_events(document.events or [], told)
    if status == Status.FAILED and document.last_event.get("message"):
        document.error = document.last_event["message"]
    with transaction.atomic():
        document.save()
    return document


def files_of(api: Api, remote: ax_documents.Document) -> list[ax_documents.DocumentFile]:
    """The document's files as the document lists them, else as GET /v1/files lists them."""
    if remote.files:
        return list(remote.files)
    return ax_documents.list_document_files(api, document_id=remote.id)


def download_files(api: Api, document: Document, files: list[ax_documents.DocumentFile]) -> int:
    """Downloads the files not stored yet (the primary file as the document's file, the rest
    as attachments); the number downloaded. Each is stored as it arrives, so a failure
    part-way keeps what came and the next sync fetches the rest."""
    have = set(document.attachments.values_list("maventa_file_id", flat=True))
    done = 0
    for remote_file in files:
        if not remote_file.id or remote_file.id in have:
            continue
        primary = remote_file.type in (PRIMARY, "")
        if primary and document.file:
            continue
        got = ax_documents.download_document_file(api, file_id=remote_file.id)
        name = plain_name(remote_file.filename or got.filename, "document")
        with transaction.atomic():
            if primary:
                document.file_checksum = store(document.file, name, got.content)
                document.save(update_fields=["file", "file_checksum", "updated_at"])
            else:
                attachment = Attachment(
                    document=document,
                    maventa_file_id=remote_file.id[:100],
                    filename=name[:255],
                    mimetype=(remote_file.mimetype or got.content_type)[:100],
                    kind=remote_file.type[:32],
                    size=got.size,
                )
                attachment.checksum = store(attachment.file, attachment.filename, got.content)
                attachment.save()
        done += 1
    return done


def plain_name(name: str, default: str) -> str:
    """A file name without folders or control characters, for storage and downloads."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base.strip(". ") or default
