"""Documents other than invoices: orders, order responses, despatch advice, vouchers...
(API.md "Documents"; FIELDS.md section 6). No lookup and no conversion: the recipient and its
operator are given (or read by Maventa from a supported XML)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from ..client import Api
from ..entities import from_json, list_from_json, many, query_params, timestamp
from ..errors import Conflict, Invalid
from ..files import ACCEPT_ANY, Attachment, Download, download_of, multipart
from ..paging import Page, check_per_page, page_of
from ..scopes import DOCUMENT_SCOPES

SCOPE = DOCUMENT_SCOPES

# CONFIRMED_DELIVERY as the schema spells it; API.md's webhooks say DELIVERY_CONFIRMED, and
# both are read (FIELDS.md section 12, item 17).
DOCUMENT_STATUSES = ("PROCESSING", "RESERVED", "DELIVERED", "CONFIRMED_DELIVERY", "FAILED")
CONFIRMED_STATUSES = frozenset({"CONFIRMED_DELIVERY", "DELIVERY_CONFIRMED"})
DIRECTIONS = ("RECEIVED", "SENT", "INCOMING", "OUTGOING")
NOT_DELIVERED = "Only a delivered document can be confirmed as delivered."
DUPLICATE_TRANSMISSION = "A document with this transmission id was sent already."


@dataclass(frozen=True)
class DocumentParty:
    """The sender (`operator` stays empty) or the recipient of a document."""

    eia: str = ""
    bid: str = ""
    name: str = ""
    country: str = ""
    vat: str = ""
    operator: str = ""


@dataclass(frozen=True)
class DocumentEvent:
    created_at: str = ""
    code: str = ""
    message: str = ""
    details: str = ""


@dataclass(frozen=True)
class DocumentFile:
    id: str = ""
    filename: str = ""
    file_format: str = ""
    mimetype: str = ""
    href: str = ""
    created_at: str = ""
    type: str = ""  # PRIMARY_FILE, ATTACHMENT or OTHER
    format_version: str = ""
    # Typed as a string by the schema, shown as a list of links in its example: kept as read.
    document_file_links: Any = None


@dataclass(frozen=True)
class Document:
    id: str = ""
    type: str = ""
    status: str = ""
    document_identifier: str = ""
    process_identifier: str = ""
    reference: str = ""
    number: str = ""
    sender: DocumentParty = DocumentParty()
    recipient: DocumentParty = DocumentParty()
    created_at: str = ""
    delivered_at: str = ""
    received_at: str = ""
    last_event: DocumentEvent = DocumentEvent()
    source_format: str = ""
    supported_formats: tuple[str, ...] = ()
    transmission_id: str = ""
    transmission_at: str = ""
    network: str = ""
    origin: str = ""
    external_id: str = ""
    files: tuple[DocumentFile, ...] = ()
    # Maventa's JSON as it came, for staff and for fields added after this client.
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def document_from_json(body: Any) -> Document:
    return from_json(Document, {**body, "raw": body} if isinstance(body, dict) else {})


def _document_path(document_id: str) -> str:
    return f"/v1/documents/{quote(document_id, safe='')}"


def _files(file: bytes, filename: str, attachments: Sequence) -> tuple[list, list]:
    """One file goes as `file`; with attachments, all go indexed: `files[n][file]` and
    `files[n][file_type]`, the document first (FIELDS.md section 6)."""
    if not attachments:
        return [("file", filename, file)], []
    named = [a if isinstance(a, tuple) else (a.filename, a.content) for a in attachments]
    files = [("files[0][file]", filename, file)]
    types = [("files[0][file_type]", "PRIMARY_FILE")]
    for number, (name, content) in enumerate(named, start=1):
        files.append((f"files[{number}][file]", name, content))
        types.append((f"files[{number}][file_type]", "ATTACHMENT"))
    return files, types


def send_document(
    api: Api,
    *,
    file: bytes,
    filename: str,
    type: str = "",  # Maventa's field name
    transmission_id: str = "",
    transmission_at: datetime | str | None = None,
    external_id: str = "",
    recipient_eia: str = "",
    recipient_operator: str = "",
    recipient_name: str = "",
    recipient_country: str = "",
    sender_eia: str = "",
    sender_name: str = "",
    sender_country: str = "",
    attachments: Sequence[Attachment | tuple[str, bytes]] = (),
) -> Document:
    """`POST /v1/documents` (multipart) -> 201 Document; 422 for a transmission_id used before."""
    files, file_types = _files(file, filename, attachments)
    fields = [
        *file_types,
        ("type", type),
        ("transmission_id", transmission_id),
        ("transmission_at", timestamp(transmission_at) if transmission_at else ""),
        ("external_id", external_id),
        ("recipient_eia", recipient_eia),
        ("recipient_operator", recipient_operator),
        ("recipient_name", recipient_name),
        ("recipient_country", recipient_country),
        ("sender_eia", sender_eia),
        ("sender_name", sender_name),
        ("sender_country", sender_country),
    ]
    try:
        response = api.post(
            "/v1/documents", files=multipart(files, fields), resource="document sending"
        )
    except Invalid as exc:
        if exc.code == "document_duplicate_transmission_id":
            exc.staff_message = DUPLICATE_TRANSMISSION
        raise
    return document_from_json(response.body())


def list_documents(
    api: Api,
    *,
    direction: str = "RECEIVED",
    type: Iterable[str] = (),  # Maventa's parameter name
    status: Iterable[str] = (),
    ids: Iterable[str] = (),
    number: str = "",
    reference: str = "",
    query: str = "",
    created_at_start: datetime | date | str | None = None,
    created_at_end: datetime | date | str | None = None,
    received_at_start: datetime | date | str | None = None,
    received_at_end: datetime | date | str | None = None,
    sort: str | Iterable[str] = "",
    page: int = 1,
    per_page: int = 100,
) -> Page[Document]:
    """`GET /v1/documents` -> 200 Document[], one page (paging headers; walk with paging.pages).
    `query`: an exact id, reference or number; newest first by default. `received_at_*` are
    API.md's (FIELDS.md section 12, item 15)."""
    params = query_params(
        ("direction", direction),
        ("type[]", many(type)),
        ("status[]", many(status)),
        ("ids[]", many(ids)),
        ("number", number),
        ("reference", reference),
        ("query", query),
        ("created_at_start", created_at_start),
        ("created_at_end", created_at_end),
        ("received_at_start", received_at_start),
        ("received_at_end", received_at_end),
        ("sort[]", many(sort)),
        ("page", page),
        ("per_page", check_per_page(per_page)),
    )
    response = api.get("/v1/documents", params=params, resource="the documents")
    body = response.body()
    items = [document_from_json(item) for item in body] if isinstance(body, list) else []
    return page_of(items, response.headers, page=page, per_page=per_page)


def get_document(api: Api, *, document_id: str) -> Document:
    """`GET /v1/documents/{id}` -> 200 Document: a sent document's status, a received one's
    details."""
    body = api.get(_document_path(document_id), resource="the document").body()
    return document_from_json(body)


def confirm_delivery(api: Api, *, document_id: str) -> None:
    """`PATCH /v1/documents/{id}` `{status: CONFIRMED_DELIVERY}` -> 204; 409 unless DELIVERED."""
    try:
        api.patch(
            _document_path(document_id),
            json={"status": "CONFIRMED_DELIVERY"},
            resource="the document",
        )
    except Conflict as exc:
        exc.staff_message = NOT_DELIVERED
        raise


def document_events(api: Api, *, document_id: str) -> list[DocumentEvent]:
    """`GET /v1/documents/{id}/events` -> 200 DocumentEvent (one, says the schema; a list is
    read too)."""
    body = api.get(f"{_document_path(document_id)}/events", resource="the document's events")
    return _one_or_many(DocumentEvent, body.body())


def list_document_files(api: Api, *, document_id: str) -> list[DocumentFile]:
    """`GET /v1/files?document_id=` -> 200 DocumentFile (one, says the schema; a list is read
    too)."""
    body = api.get(
        "/v1/files", params={"document_id": document_id}, resource="the document's files"
    ).body()
    return _one_or_many(DocumentFile, body)


def download_document_file(api: Api, *, file_id: str) -> Download:
    """`GET /v1/files/{id}` -> 200: the file's content, as bytes."""
    response = api.get(
        f"/v1/files/{quote(file_id, safe='')}", headers=ACCEPT_ANY, resource="the document file"
    )
    return download_of(response)


def _one_or_many(cls: type, body: Any) -> list:
    # FIELDS.md section 6 reads these as lists though the schema types one object.
    if isinstance(body, dict):
        return [from_json(cls, body)]
    return list_from_json(cls, body)
