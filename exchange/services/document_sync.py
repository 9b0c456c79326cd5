"""Documents as Maventa has them now: received ones fetched, one refreshed, a delivery confirmed.

Received documents are listed by creation time (GET /v1/documents ``direction=RECEIVED`` with
``created_at_start``/``created_at_end``: the schema has no ``received_at_*`` for documents,
FIELDS.md section 12, item 15), a window at a time, oldest first, each window walked with the
client's paging helper. A document is upserted by its Maventa id and its files downloaded;
the next run starts an overlap before the newest one known, so a document committed late at
Maventa is not skipped, and one seen twice is updated, not duplicated.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from companies.access import company_api, ensure_can_exchange
from companies.models import Company
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import Refused
from maventa_portal.maventa_api import Api, Conflict, MaventaError, paging
from maventa_portal.maventa_api.ax import documents as ax_documents

from ..models import Direction, Document
from .document_mirror import apply_remote, download_files, files_of

log = logging.getLogger(__name__)

Status = Document.Status
WINDOW = timedelta(days=7)
# Where a company's first sync starts, unless asked for more (``since``).
FIRST_LOOKBACK = timedelta(days=30)
# A document is listed by its created_at, which may lie a little before its commit.
OVERLAP = timedelta(hours=1)
# Received documents whose files failed to download, retried on each sync, at most this many.
RETRY_FILES = 50
NOT_AT_MAVENTA = "This document has no Maventa id yet."
ONLY_RECEIVED = "Only the recipient confirms a delivery; this document was sent."
NOT_DELIVERED = (
    "Maventa refused: only a delivered document can be confirmed as delivered, and Maventa "
    "has this one as {status}."
)


@dataclass
class SyncResult:
    new: int = 0
    updated: int = 0
    files: int = 0
    file_errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        text = f"{self.new} new, {self.updated} updated, {self.files} files downloaded"
        return text + (f", {self.file_errors} files left for the next run" * bool(self.file_errors))


def _start(company: Company, since: datetime | None) -> datetime:
    if since is not None:
        return since
    newest = Document.objects.filter(company=company, direction=Direction.RECEIVED).aggregate(
        newest=Max("maventa_created_at")
    )["newest"]
    return newest - OVERLAP if newest else timezone.now() - FIRST_LOOKBACK


def sync_received_documents(
    *, company: Company, since: datetime | None = None, actor: Actor | None = None
) -> SyncResult:
    """Every document ``company`` received since ``since`` (default: where the last run got)."""
    start = _start(company, since)
    asked = {"since": start.isoformat()}
    with recording(actor, "document.sync", target=Document, company=company, asked=asked) as rec:
        ensure_can_exchange(company)
        api = company_api(company, scope=ax_documents.SCOPE)
        result = SyncResult()
        now = timezone.now()
        while start < now:
            end = min(start + WINDOW, now)
            # The last window is left open: dates go to Maventa to the second, and an end of
            # "now" cut to the second would leave out what arrived in this second.
            open_end = None if end == now else end
            for remote in paging.items(
                lambda page, s=start, e=open_end: _received(api, s, e, page)
            ):
                _upsert(api, company, remote, result)
            start = end
        _retry_files(api, company, result)
        rec.note = f"Received documents: {result}."
        rec.extra = {"result": result.as_dict()}
    return result


def _received(api: Api, start: datetime, end: datetime | None, page: int):
    return ax_documents.list_documents(
        api,
        direction="RECEIVED",
        created_at_start=start,
        created_at_end=end,
        sort="created_at",
        page=page,
        per_page=100,
    )


def _upsert(api: Api, company: Company, remote: ax_documents.Document, result: SyncResult) -> None:
    if not remote.id:
        return
    document = Document.objects.filter(maventa_id=remote.id).first()
    if document is None:
        document = Document(company=company, direction=Direction.RECEIVED, status=Status.PROCESSING)
        result.new += 1
    else:
        result.updated += 1
    apply_remote(document, remote)
    _download(api, document, remote, result)


def _download(api: Api, document: Document, remote, result: SyncResult) -> None:
    try:
        result.files += download_files(api, document, files_of(api, remote))
    except MaventaError as exc:
        result.file_errors += 1
        log.warning("Files of document %s not downloaded yet: %s", document.pk, exc)


def _retry_files(api: Api, company: Company, result: SyncResult) -> None:
    missing = Document.objects.filter(
        company=company, direction=Direction.RECEIVED, maventa_id__isnull=False, file=""
    ).order_by("-maventa_created_at")[:RETRY_FILES]
    for document in missing:
        try:
            remote = ax_documents.get_document(api, document_id=str(document.maventa_id))
        except MaventaError as exc:
            result.file_errors += 1
            log.warning("Document %s not read again: %s", document.pk, exc)
            continue
        _download(api, document, remote, result)


def refresh_document(*, document: Document, actor: Actor | None = None) -> Document:
    """The document, its latest event and (received) its missing files, as Maventa has them."""
    with recording(actor, "document.refresh", target=document) as rec:
        if document.maventa_id is None:
            raise Refused(NOT_AT_MAVENTA)
        api = company_api(document.company, scope=ax_documents.SCOPE)
        remote = _refresh(api, document)
        if document.direction == Direction.RECEIVED:
            _download(api, document, remote, SyncResult())
        rec.note = document.get_status_display()
    return document


def _refresh(api: Api, document: Document) -> ax_documents.Document:
    document_id = str(document.maventa_id)
    remote = ax_documents.get_document(api, document_id=document_id)
    try:
        events = ax_documents.document_events(api, document_id=document_id)
    except MaventaError as exc:
        # The document itself is read; its events are a nicety (404 when it has none yet).
        log.info("No events of document %s now: %s", document.pk, exc)
        events = []
    apply_remote(document, remote, events=events)
    return remote


def confirm_delivery(*, document: Document, actor: Actor | None = None) -> Document:
    """PATCH /v1/documents/{id} ``{status: CONFIRMED_DELIVERY}``: the recipient confirms.
    Maventa answers 409 unless the document is DELIVERED (FIELDS.md section 6); the document
    is then read again, and staff are told the status Maventa has."""
    with recording(actor, "document.confirm_delivery", target=document) as rec:
        if document.direction != Direction.RECEIVED:
            raise Refused(ONLY_RECEIVED)
        if document.maventa_id is None:
            raise Refused(NOT_AT_MAVENTA)
        api = company_api(document.company, scope=ax_documents.SCOPE)
        try:
            ax_documents.confirm_delivery(api, document_id=str(document.maventa_id))
        except Conflict as exc:
            _refresh_quietly(api, document)
            exc.staff_message = NOT_DELIVERED.format(status=document.get_status_display().lower())
            raise
        document.status, document.status_changed_at = Status.CONFIRMED_DELIVERY, timezone.now()
        document.save(update_fields=["status", "status_changed_at", "updated_at"])
        _refresh_quietly(api, document)
        rec.note = "Delivery confirmed."
    return document


def _refresh_quietly(api: Api, document: Document) -> None:
    try:
        _refresh(api, document)
    except MaventaError as exc:
        log.info("Document %s not read again now: %s", document.pk, exc)
