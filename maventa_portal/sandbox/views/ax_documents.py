"""AX documents and their files (API.md "Documents"; FIELDS.md section 6).

- ``POST /v1/documents`` (multipart) -> 201 Document (PROCESSING); 400 ``invalid_parameters``;
  422 ``document_duplicate_transmission_id``. ``fields[]`` limits the answer.
- ``GET /v1/documents`` -> 200 Document[] with the paging headers; ``ids[]`` (at most 100),
  ``direction`` (RECEIVED or INCOMING, SENT or OUTGOING; both when left out), ``type[]``,
  ``status[]``, ``created_at_start/end``, ``received_at_start/end`` (API.md), ``number``,
  ``reference``, ``query`` (exact id, reference or number), ``sort[]`` (``id``, ``type``,
  ``status``, ``number``, ``reference``, ``created_at``, ``received_at``, ``-`` descending;
  ``-created_at`` by default), ``page``, ``per_page`` (10, at most 100), ``fields[]``.
- ``GET /v1/documents/{id}`` -> 200 Document (``return_format[]`` is read and ignored: no
  conversion for documents); ``PATCH`` ``{status: CONFIRMED_DELIVERY}`` -> 204 (the spelling
  DELIVERY_CONFIRMED accepted too, FIELDS.md opening), 409 ``document_in_invalid_state``
  unless DELIVERED. Meant for the recipient (FIELDS.md 12, item 17); the schema states only
  the state rule, so a sender recording a confirmation it got otherwise is let through too.
- ``GET /v1/documents/{id}/events`` -> 200 the latest DocumentEvent: the schema answers one
  event, not a list (FIELDS.md section 6 thinks a list likely; the schema is followed).
- ``GET /v1/files?document_id=`` -> 200 the document's primary file (one object, as the
  schema has it); ``GET /v1/files/{id}`` -> 200 the file's bytes.
"""

import uuid

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse

from .. import document_send, documents, params, uploads
from ..auth import bearer
from ..models import Document, DocumentFile
from ..paging import page_params, paginate, with_headers
from ..responses import BadRequest, api_root, download, error, json_body, json_response, no_content
from .exchange_common import exchange, not_found

DIRECTIONS = {"RECEIVED": "RECEIVED", "INCOMING": "RECEIVED", "SENT": "SENT", "OUTGOING": "SENT"}
STATUSES = (*Document.Status.values, "DELIVERY_CONFIRMED")
SORT_KEYS = ("id", "type", "status", "number", "reference", "created_at", "received_at")
CONFIRM = ("CONFIRMED_DELIVERY", "DELIVERY_CONFIRMED")


def _with_files(queryset):
    files = Prefetch("files", queryset=DocumentFile.objects.defer("content"))
    return queryset.prefetch_related(files)


@bearer
@exchange
def send(request: HttpRequest) -> HttpResponse:
    data, files = uploads.form(request)
    company = request.sandbox_company
    found, doc_type, fields, transmission_at = document_send.parse_send(data, files, company)
    try:
        document = document_send.send_document(
            company=company,
            found=found,
            doc_type=doc_type,
            fields=fields,
            transmission_at=transmission_at,
        )
    except document_send.DuplicateTransmission as exc:
        return error(422, "document_duplicate_transmission_id", str(exc))
    document = _with_files(Document.objects.filter(pk=document.pk)).get()
    body = documents.as_document(document, api_root(request), params.listed(request, "fields"))
    return json_response(body, status=201)


def _filtered(request: HttpRequest):
    problems: list[str] = []
    direction = request.GET.get("direction", "")
    if direction:
        params.one_of(direction, tuple(DIRECTIONS), "direction", problems)
    types = params.listed(request, "type")
    for kind in types:
        params.one_of(kind, document_send.DOC_TYPES, "type", problems)
    statuses = params.listed(request, "status")
    for status in statuses:
        params.one_of(status, STATUSES, "status", problems)
    ids = params.listed(request, "ids")
    if len(ids) > 100:
        problems.append("ids: at most 100 per query")
    sorts = params.listed(request, "sort") or ["-created_at"]
    for sort in sorts:
        params.one_of(sort.removeprefix("-"), SORT_KEYS, "sort", problems)
    bounds = {
        name: params.moment(request, name, problems)
        for name in ("created_at_start", "created_at_end", "received_at_start", "received_at_end")
    }
    params.raise_if(problems)
    found = request.sandbox_company.documents.all()
    if direction:
        found = found.filter(direction=DIRECTIONS[direction])
    if types:
        found = found.filter(type__in=types)
    if statuses:
        spelled = {"CONFIRMED_DELIVERY" if s == "DELIVERY_CONFIRMED" else s for s in statuses}
        found = found.filter(status__in=spelled)
    if ids:
        found = found.filter(pk__in=[i for i in ids if _is_uuid(i)])
    for name in ("number", "reference"):
        if request.GET.get(name):
            found = found.filter(**{name: request.GET[name]})
    if request.GET.get("query"):
        found = _query(found, request.GET["query"])
    for name, value in bounds.items():
        if value is not None:
            field, _, end = name.rpartition("_")
            found = found.filter(**{f"{field}__{'gte' if end == 'start' else 'lte'}": value})
    return found.order_by(*sorts, "id")


def _query(found, text: str):
    matches = found.filter(reference=text) | found.filter(number=text)
    if _is_uuid(text):
        matches = matches | found.filter(pk=text)
    return matches


def _is_uuid(value: str) -> bool:
    try:
        return bool(uuid.UUID(value))
    except ValueError:
        return False


@bearer
@exchange
def list_documents(request: HttpRequest) -> HttpResponse:
    found = _filtered(request)
    page, per_page = page_params(request, default_per_page=10)
    shown, headers = paginate(request, _with_files(found), page, per_page)
    fields, root = params.listed(request, "fields"), api_root(request)
    body = [documents.as_document(document, root, fields) for document in shown]
    return with_headers(json_response(body), headers)


def _find(request: HttpRequest, document_id: str) -> Document | None:
    return documents.find_document(request.sandbox_company, document_id)


@bearer
@exchange
def get_document(request: HttpRequest, document_id: str) -> HttpResponse:
    document = _find(request, document_id)
    if document is None:
        return not_found("Document", document_id)
    one = _with_files(Document.objects.filter(pk=document.pk)).get()
    fields = params.listed(request, "fields")
    return json_response(documents.as_document(one, api_root(request), fields))


@bearer
@exchange
def patch_document(request: HttpRequest, document_id: str) -> HttpResponse:
    status = json_body(request).get("status")
    if status not in CONFIRM:
        raise BadRequest("Invalid parameters", ["status must be CONFIRMED_DELIVERY"])
    document = _find(request, document_id)
    if document is None:
        return not_found("Document", document_id)
    try:
        documents.confirm_delivery(document)
    except documents.InvalidState as exc:
        return error(409, "document_in_invalid_state", str(exc))
    return no_content()


@bearer
@exchange
def document_events(request: HttpRequest, document_id: str) -> HttpResponse:
    document = _find(request, document_id)
    if document is None:
        return not_found("Document", document_id)
    latest = document.events.order_by("-created_at", "-id").first()
    if latest is None:
        return error(404, "not_found", f"Document {document_id} has no events")
    fields = params.listed(request, "fields")
    body = documents.as_event(latest)
    if fields:
        body = {k: v for k, v in body.items() if k in fields or k == "created_at"}
    return json_response(body)


def _company_files(request: HttpRequest):
    return DocumentFile.objects.filter(document__company=request.sandbox_company)


@bearer
@exchange
def list_files(request: HttpRequest) -> HttpResponse:
    document_id = request.GET.get("document_id", "").strip()
    if not document_id:
        raise BadRequest("Invalid parameters", ["document_id is missing"])
    document = _find(request, document_id)
    if document is None:
        return not_found("Document", document_id)
    files = document.files.defer("content")
    primary = files.filter(type=DocumentFile.Type.PRIMARY_FILE).first() or files.first()
    if primary is None:
        return error(404, "not_found", f"Document {document_id} has no files")
    return json_response(documents.as_file(primary, api_root(request)))


@bearer
@exchange
def get_file(request: HttpRequest, file_id: str) -> HttpResponse:
    file = _company_files(request).filter(pk=file_id).first() if _is_uuid(file_id) else None
    if file is None:
        return not_found("File", file_id)
    return download(bytes(file.content), file.mimetype, file.filename)
