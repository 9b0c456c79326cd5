"""Document rows, their answer shape (``APIEntitiesDocument``, FIELDS.md section 6) and their
delivery.

No lookup and no conversion (API.md "Documents"): a document goes to the recipient it names,
as it came. One addressed to a sandbox company registered for its type is received there as a
copy (status DELIVERED, ``received_at``); the recipient's ``CONFIRMED_DELIVERY`` reaches the
sender's original too. Events: DOCUMENTS.<TYPE>.DELIVERED, FAILED, RECEIVED, DELIVERY_CONFIRMED
(API.md "Webhooks"); each change also adds a ``DocumentEvent`` whose code is the status.
"""

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import directory, events
from .einvoice import DocumentInfo
from .models import Company, Document, DocumentEvent, DocumentFile
from .responses import isoformat

Status = Document.Status
PARTY_FIELDS = ("eia", "bid", "name", "country", "vat")
RECEIVED_FROM = "Received from {sender}"
NOT_DELIVERED = "Document must be in the delivered state (it is {status})"


def find_document(company: Company, document_id: str) -> Document | None:
    try:
        pk = uuid.UUID(str(document_id))
    except ValueError:
        return None
    return company.documents.filter(pk=pk).first()


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in ("", None)}


def _when(moment: datetime | None) -> str | None:
    return isoformat(moment) if moment else None


def as_event(event: DocumentEvent) -> dict[str, Any]:
    body = _present({"code": event.code, "message": event.message, "details": event.details})
    return body | {"created_at": isoformat(event.created_at)}


def as_file(file: DocumentFile, api_root: str) -> dict[str, Any]:
    return _present(
        {
            "id": str(file.pk),
            "filename": file.filename,
            "file_format": file.file_format,
            "mimetype": file.mimetype,
            "href": f"{api_root}/v1/files/{file.pk}",
            "created_at": isoformat(file.created_at),
            "type": file.type,
            "format_version": file.format_version,
        }
    )


def as_document(
    document: Document, api_root: str, fields: list[str] | None = None
) -> dict[str, Any]:
    last = document.events.order_by("-created_at", "-id").first()
    body = _present(
        {
            "id": str(document.pk),
            "type": document.type,
            "document_identifier": document.document_identifier,
            "process_identifier": document.process_identifier,
            "status": document.status,
            "reference": document.reference,
            "number": document.number,
            "created_at": _when(document.created_at),
            "delivered_at": _when(document.delivered_at),
            "received_at": _when(document.received_at),
            "source_format": document.source_format,
            "transmission_id": document.transmission_id,
            "transmission_at": _when(document.transmission_at),
            "network": document.network,
            "origin": document.origin,
            "external_id": document.external_id,
        }
    )
    body["sender"] = _present({f: getattr(document, f"sender_{f}") for f in PARTY_FIELDS})
    recipient = {f: getattr(document, f"recipient_{f}") for f in (*PARTY_FIELDS, "operator")}
    body["recipient"] = _present(recipient)
    if document.source_format:
        # No conversion for documents (API.md): the one format it can be had in is its own.
        body["supported_formats"] = [document.source_format]
    if last is not None:
        body["last_event"] = as_event(last)
    body["files"] = [as_file(f, api_root) for f in document.files.all()]
    if fields:
        body = {name: value for name, value in body.items() if name in fields}
    return body


def document_identifier(info: DocumentInfo | None) -> str:
    """Peppol's document type identifier: root namespace::root##customization::UBL version."""
    if info is None or not info.detected.customization:
        return ""
    root = info.detected.root
    namespace = f"urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    return f"{namespace}::{root}##{info.detected.customization}::2.1"


def add_event(document: Document, code: str, at: datetime, message: str = "") -> None:
    DocumentEvent.objects.create(document=document, code=code, message=message[:500], created_at=at)


def finish(document: Document) -> str | None:
    """Delivers or fails one due document; the status it moved to, None if someone was first."""
    at = document.deliver_at
    status = Status.FAILED if document.fails_with else Status.DELIVERED
    with transaction.atomic():
        update: dict[str, Any] = {"status": status}
        if status == Status.DELIVERED:
            update["delivered_at"] = at
        moved = Document.objects.filter(
            pk=document.pk, status=Status.PROCESSING, deliver_at=at
        ).update(**update)
        if not moved:
            return None
        for name, value in update.items():
            setattr(document, name, value)
        if status == Status.FAILED:
            add_event(document, status, at, document.fails_with)
            events.document_event(document, events.FAILED, at, document.fails_with)
            return status
        add_event(document, status, at, f"Delivered to {document.recipient_eia}")
        events.document_event(document, events.DELIVERED, at)
        _receive_copy(document, at)
    return status


def _receive_copy(sent: Document, at: datetime) -> None:
    receiver = directory.find_receiver(sent.recipient_eia, sent.type)
    if receiver is None or receiver.company is None or sent.copies.exists():
        return
    copied = {
        f.name: getattr(sent, f.name)
        for f in Document._meta.concrete_fields
        if f.name not in {"id", "company", "direction", "status", "source_document"}
        and not f.name.startswith(("deliver", "fails", "transmission"))
    }
    # A company sending to itself keeps one transmission id, on the sent document.
    own = receiver.company.pk == sent.company_id
    copied |= {
        "transmission_id": "" if own else sent.transmission_id,
        "transmission_at": sent.transmission_at,
    }
    received = Document.objects.create(
        **copied
        | {
            "company": receiver.company,
            "direction": Document.Direction.RECEIVED,
            "status": Status.DELIVERED,
            "created_at": at,
            "received_at": at,
            "network": "VISMA",
            "origin": "INTERNAL",
            "source_document": sent,
        }
    )
    DocumentFile.objects.bulk_create(
        DocumentFile(
            document=received,
            **{
                f.name: getattr(file, f.name)
                for f in DocumentFile._meta.concrete_fields
                if f.name not in {"id", "document"}
            },
        )
        for file in sent.files.all()
    )
    add_event(received, Status.DELIVERED, at, RECEIVED_FROM.format(sender=sent.sender_name))
    events.document_event(received, events.RECEIVED, at)


class InvalidState(Exception):
    pass


def confirm_delivery(document: Document) -> None:
    """``PATCH {status: CONFIRMED_DELIVERY}`` (FIELDS.md section 6): the recipient's copy and
    the sender's original both become CONFIRMED_DELIVERY, and the sender hears of it."""
    now = timezone.now()
    with transaction.atomic():
        moved = Document.objects.filter(pk=document.pk, status=Status.DELIVERED).update(
            status=Status.CONFIRMED_DELIVERY
        )
        if not moved:
            document.refresh_from_db()
            raise InvalidState(NOT_DELIVERED.format(status=document.status))
        add_event(document, Status.CONFIRMED_DELIVERY, now)
        if document.direction == Document.Direction.SENT:
            events.document_event(document, events.DELIVERY_CONFIRMED, now)
        source = document.source_document
        if source is not None and source.status == Status.DELIVERED:
            Document.objects.filter(pk=source.pk).update(status=Status.CONFIRMED_DELIVERY)
            add_event(source, Status.CONFIRMED_DELIVERY, now, "Confirmed by the recipient")
            events.document_event(source, events.DELIVERY_CONFIRMED, now)
