"""Sending a document to Maventa exactly once.

Every send carries the portal's own ``transmission_id`` (a uuid), stored with the status
UNKNOWN before the call. Maventa keeps transmission ids unique and refuses a second send of
one with 422 ``document_duplicate_transmission_id`` (FIELDS.md section 6, POST /v1/documents),
so a send repeated with the same id can never make a second document.

A lost answer leaves the document UNKNOWN; ``reconcile_document`` then looks it up before
anything is sent again. GET /v1/documents has no transmission id filter (its ``query`` is an
exact match on id, reference or number only, FIELDS.md section 6), so the lookup lists the
company's sent documents created since shortly before the send (``created_at_start``) and
matches ``transmission_id`` on each. Not found: the document is sent again with the same id;
a 422 duplicate then means Maventa has it after all (the first request was still being
handled), and it stays UNKNOWN until the next lookup finds it. A send that certainly failed
(refused, or never left) goes back to DRAFT with the reason, for staff to send again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from companies.access import company_api, ensure_can_exchange
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import PortalError, Refused
from maventa_portal.maventa_api import AmbiguousOutcome, Invalid, MaventaError, paging
from maventa_portal.maventa_api.ax import documents as ax_documents

from ..models import Direction, Document
from .document_drafts import earlier_document_sends
from .document_mirror import apply_remote

log = logging.getLogger(__name__)

Status = Document.Status
DUPLICATE_CODE = "document_duplicate_transmission_id"
# Clocks differ: the lookup window opens this long before the portal's own send time.
LOOKUP_MARGIN = timedelta(minutes=15)
SWEEP_GRACE = timedelta(minutes=2)
NOT_A_DRAFT = "This document was sent already ({status}); it is not sent again from here."
DUPLICATE = (
    "The same file was already sent for {company} (document {number}, {when}). Tick "
    "“Send it again” to send it once more."
)
LOST_ANSWER = (
    "Maventa did not answer in time. The document is marked Unknown: the portal looks it up by "
    "its transmission id before anything is sent again, so it is never sent twice."
)
STILL_UNKNOWN = (
    "Maventa already has a document with this transmission id but does not list it yet; "
    "look it up again in a moment."
)


def send_document(
    *, document: Document, actor: Actor | None = None, resend: bool = False
) -> Document:
    """Sends a draft; returns it PROCESSING (or further), or UNKNOWN when the answer was lost."""
    asked = {
        "type": document.type,
        "number": document.number,
        "recipient": document.recipient_eia,
        "operator": document.recipient_operator,
        "resend": resend,
    }
    with recording(actor, "document.send", target=document, asked=asked) as rec:
        _claim(document, actor, resend)
        _post(document)
        rec.note = _outcome(document)
    return document


def _outcome(document: Document) -> str:
    if document.status == Status.UNKNOWN:
        return LOST_ANSWER
    return f"Maventa id {document.maventa_id}, {document.get_status_display()}."


def _claim(document: Document, actor: Actor | None, resend: bool) -> None:
    """Marks the draft as being sent, once: two clicks or two workers never both send it."""
    ensure_can_exchange(document.company)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Status.DRAFT:
            raise Refused(NOT_A_DRAFT.format(status=locked.get_status_display()))
        earlier = earlier_document_sends(
            locked.company, locked.file_checksum, exclude=locked.pk
        ).first()
        if earlier is not None and not resend:
            when = timezone.localtime(earlier.sent_at) if earlier.sent_at else "earlier"
            raise Refused(
                DUPLICATE.format(
                    company=locked.company, number=earlier.number or earlier.pk, when=when
                )
            )
        user = getattr(actor, "user", None)
        # Kept across a certain failure: the id was refused or never arrived, so it is unused.
        locked.transmission_id = locked.transmission_id or str(uuid.uuid4())
        locked.status, locked.status_changed_at = Status.UNKNOWN, timezone.now()
        locked.sent_at, locked.error = timezone.now(), ""
        locked.sent_by = user if getattr(user, "pk", None) else locked.sent_by
        locked.save()
    document.refresh_from_db()


def _post(document: Document) -> None:
    """One POST /v1/documents with the stored transmission id; the document ends PROCESSING+,
    UNKNOWN (answer lost, or Maventa has the id already) or DRAFT (certainly not sent)."""
    api = company_api(document.company, scope=ax_documents.SCOPE)
    try:
        remote = ax_documents.send_document(
            api,
            file=_read(document.file),
            filename=document.file.name.rsplit("/", 1)[-1],
            type=document.type,
            transmission_id=document.transmission_id,
            recipient_eia=document.recipient_eia,
            recipient_operator=document.recipient_operator,
            recipient_name=document.recipient_name,
            recipient_country=document.recipient_country,
            sender_eia=document.sender_eia,
            sender_name=document.sender_name,
            sender_country=document.sender_country,
            attachments=[(a.filename, _read(a.file)) for a in document.attachments.all()],
        )
    except AmbiguousOutcome:
        log.warning("Send of document %s lost its answer; it is looked up next", document.pk)
        return
    except Invalid as exc:
        if exc.code == DUPLICATE_CODE:
            log.info("Maventa has document %s's transmission id already", document.pk)
            _find_quietly(document)
            return
        _back_to_draft(document, exc)
        raise
    except (MaventaError, PortalError) as exc:
        _back_to_draft(document, exc)
        raise
    apply_remote(document, remote)


def _back_to_draft(document: Document, exc: Exception) -> None:
    # Certainly not sent (refused, or it never reached Maventa): staff correct and retry.
    Document.objects.filter(pk=document.pk, status=Status.UNKNOWN).update(
        status=Status.DRAFT, error=getattr(exc, "staff_message", str(exc))[:2000]
    )
    document.refresh_from_db()


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def find_sent(document: Document) -> ax_documents.Document | None:
    """The company's sent document carrying ``document``'s transmission id, if Maventa has it."""
    api = company_api(document.company, scope=ax_documents.SCOPE)
    start = (document.sent_at or document.created_at) - LOOKUP_MARGIN

    def fetch(page: int):
        return ax_documents.list_documents(
            api, direction="SENT", created_at_start=start, page=page, per_page=100
        )

    for remote in paging.items(fetch):
        if remote.transmission_id == document.transmission_id:
            return remote
    return None


def _find_quietly(document: Document) -> None:
    try:
        remote = find_sent(document)
    except MaventaError as exc:
        log.info("Document %s not looked up now: %s", document.pk, exc)
        return
    if remote is not None:
        apply_remote(document, remote)


def reconcile_document(*, document: Document, actor: Actor | None = None) -> Document:
    """An UNKNOWN send: found on Maventa by its transmission id, or sent again with it."""
    if document.status != Status.UNKNOWN or not document.transmission_id:
        return document
    asked = {"transmission_id": document.transmission_id}
    with recording(actor, "document.reconcile", target=document, asked=asked) as rec:
        remote = find_sent(document)
        if remote is not None:
            apply_remote(document, remote)
            rec.note = f"Found at Maventa: {document.get_status_display()}."
            return document
        log.info("Maventa lists no document %s: sending it with the same id", document.pk)
        _post(document)
        still = document.status == Status.UNKNOWN
        rec.note = STILL_UNKNOWN if still else f"Not at Maventa: sent now. {_outcome(document)}"
    return document


def reconcile_unknown_documents() -> dict[str, int]:
    """A schedule's sweep over every UNKNOWN document send (a lost page, a killed worker)."""
    counts = {"found": 0, "failed": 0}
    # A send still waiting for its answer is UNKNOWN too: leave it its read timeout and more.
    settled = timezone.now() - SWEEP_GRACE
    unknown = Document.objects.filter(
        status=Status.UNKNOWN, direction=Direction.SENT, sent_at__lt=settled
    )
    for document in unknown.select_related("company"):
        try:
            reconcile_document(document=document)
            counts["found"] += document.status != Status.UNKNOWN
        except (MaventaError, PortalError) as exc:
            counts["failed"] += 1
            log.warning("Could not reconcile document %s: %s", document.pk, exc)
    return counts
