"""AX invoices: send, list, read, download (API.md "Invoices"; FIELDS.md section 5).

- ``POST /v1/invoices`` (multipart) -> 201 Invoice; 400 ``invalid_parameters`` (fields, or a
  file that is not an invoice of the format given), 400 ``invoice_duplicate_uuid``.
- ``GET /v1/invoices`` -> 200 Invoice[] with the paging headers; ``direction`` (RECEIVED by
  default, or SENT), ``status[]``, ``ids[]`` (at most 100), ``number``, ``reference``,
  ``received_at_start/end``, ``created_at_start/end`` (inclusive), ``sort`` (``received_at``
  or ``-received_at``; ascending by default), ``page``, ``per_page`` (10, at most 100) and
  ``fields[]`` (API.md).
- ``GET /v1/invoices/{id}`` -> 200 Invoice; with ``return_format`` an XML format, the invoice's
  XML as it came (the sandbox converts nothing: whatever XML format is asked, the original is
  answered), or an image: ORIGINAL_IMAGE the PDF that came with it (404 when none),
  GENERATED_IMAGE one the sandbox draws, ORIGINAL_OR_GENERATED_IMAGE the first that exists.
- ``GET /v1/invoices/{id}/actions`` -> 200 InvoiceAction[]; ``type[]`` filters.
- ``GET /v1/invoices/{id}/files/{file_id}`` -> 200 the file's bytes.

Every one refuses an unverified company (``exchange_common``); another company's invoice is
not found.
"""

import uuid

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse

from .. import invoice_send, invoices, params, uploads
from ..auth import bearer
from ..models import Invoice, InvoiceFile
from ..paging import page_params, paginate, with_headers
from ..pdf import text_pdf
from ..responses import api_root, download, error, json_response
from .exchange_common import not_found, verified_exchange

DIRECTIONS = tuple(Invoice.Direction.values)
SORTS = ("received_at", "-received_at")
XML_FORMATS = ("VISMAXML60", "PEPPOLBIS30", "SIUBL20", "VISMAUBL30", "FINVOICE30", "TEAPPS30")
IMAGES = ("ORIGINAL_IMAGE", "GENERATED_IMAGE", "ORIGINAL_OR_GENERATED_IMAGE")
ACTION_TYPES = ("RECEIVED", "CREATED", "SENT", "DELIVERED", "INFO", "ERROR")
NO_IMAGE = "Invoice {id} has no original image"


def _with_files(queryset):
    # File contents stay in the database until a file is downloaded.
    return queryset.prefetch_related(
        Prefetch("files", queryset=InvoiceFile.objects.defer("content")), "actions"
    )


@bearer
@verified_exchange
def send(request: HttpRequest) -> HttpResponse:
    data, files = uploads.form(request)
    send_request, upload = invoice_send.parse_send(data, files)
    try:
        invoice = invoice_send.send_invoice(
            company=request.sandbox_company, request=send_request, upload=upload
        )
    except invoice_send.DuplicateUuid as exc:
        return error(400, "invoice_duplicate_uuid", str(exc))
    invoice = _with_files(Invoice.objects.filter(pk=invoice.pk)).get()
    return json_response(invoices.as_invoice(invoice, api_root(request)), status=201)


def _filtered(request: HttpRequest):
    problems: list[str] = []
    direction = request.GET.get("direction") or Invoice.Direction.RECEIVED
    params.one_of(direction, DIRECTIONS, "direction", problems)
    statuses = params.listed(request, "status")
    for status in statuses:
        params.one_of(status, tuple(Invoice.Status.values), "status", problems)
    ids = params.listed(request, "ids")
    if len(ids) > 100:
        problems.append("ids: at most 100 per query")
    sorts = params.listed(request, "sort")
    for sort in sorts:
        params.one_of(sort, SORTS, "sort", problems)
    bounds = {
        name: params.moment(request, name, problems)
        for name in ("received_at_start", "received_at_end", "created_at_start", "created_at_end")
    }
    params.raise_if(problems)
    found = request.sandbox_company.invoices.filter(direction=direction)
    if statuses:
        found = found.filter(status__in=statuses)
    if ids:
        found = found.filter(pk__in=[i for i in ids if _is_uuid(i)])
    for name in ("number", "reference"):
        if request.GET.get(name):
            found = found.filter(**{name: request.GET[name]})
    for name, value in bounds.items():
        if value is not None:
            field, _, end = name.rpartition("_")
            found = found.filter(**{f"{field}__{'gte' if end == 'start' else 'lte'}": value})
    descending = "-received_at" in sorts
    order = ("received_at", "created_at", "id")
    return found.order_by(*(f"-{name}" for name in order) if descending else order)


def _is_uuid(value: str) -> bool:
    try:
        return bool(uuid.UUID(value))
    except ValueError:
        return False


@bearer
@verified_exchange
def list_invoices(request: HttpRequest) -> HttpResponse:
    found = _filtered(request)
    page, per_page = page_params(request, default_per_page=10)
    shown, headers = paginate(request, _with_files(found), page, per_page)
    fields = params.listed(request, "fields")
    root = api_root(request)
    body = [invoices.as_invoice(invoice, root, fields) for invoice in shown]
    return with_headers(json_response(body), headers)


def _find(request: HttpRequest, invoice_id: str) -> Invoice | None:
    return invoices.find_invoice(request.sandbox_company, invoice_id)


@bearer
@verified_exchange
def get_invoice(request: HttpRequest, invoice_id: str) -> HttpResponse:
    wanted = request.GET.get("return_format", "")
    problems: list[str] = []
    if wanted:
        params.one_of(wanted, (*XML_FORMATS, *IMAGES), "return_format", problems)
    params.raise_if(problems)
    invoice = _find(request, invoice_id)
    if invoice is None:
        return not_found("Invoice", invoice_id)
    if not wanted:
        one = _with_files(Invoice.objects.filter(pk=invoice.pk)).get()
        return json_response(invoices.as_invoice(one, api_root(request)))
    if wanted in XML_FORMATS:
        xml = invoice.files.get(role=InvoiceFile.Role.XML)
        return download(bytes(xml.content), "application/xml", f"{invoice.number or 'invoice'}.xml")
    image = invoice.files.filter(role=InvoiceFile.Role.IMAGE).first()
    if image is not None and wanted != "GENERATED_IMAGE":
        return download(bytes(image.content), "application/pdf", image.filename)
    if wanted == "ORIGINAL_IMAGE":
        return error(404, "not_found", NO_IMAGE.format(id=invoice.pk))
    return download(_generated_image(invoice), "application/pdf", f"{invoice.number}.pdf")


def _generated_image(invoice: Invoice) -> bytes:
    lines = [
        f"Invoice {invoice.number}",
        "",
        f"From: {invoice.sender_name} ({invoice.sender_bid})",
        f"To: {invoice.recipient_name} ({invoice.recipient_bid})",
        f"Date: {invoice.date or '-'}   Due: {invoice.date_due or '-'}",
        f"Total without VAT: {invoice.sum} {invoice.currency}",
        f"Total with VAT: {invoice.sum_tax} {invoice.currency}",
        f"Reference: {invoice.reference or '-'}",
    ]
    return text_pdf(lines, title=f"Invoice {invoice.number} (generated)")


@bearer
@verified_exchange
def list_actions(request: HttpRequest, invoice_id: str) -> HttpResponse:
    types = params.listed(request, "type")
    problems: list[str] = []
    for kind in types:
        params.one_of(kind, ACTION_TYPES, "type", problems)
    params.raise_if(problems)
    invoice = _find(request, invoice_id)
    if invoice is None:
        return not_found("Invoice", invoice_id)
    found = invoice.actions.all()
    if types:
        found = found.filter(type__in=types)
    return json_response([invoices.as_action(action) for action in found])


@bearer
@verified_exchange
def get_file(request: HttpRequest, invoice_id: str, file_id: str) -> HttpResponse:
    # One query when both are found (a sync downloads every file); two to tell which is not.
    file = None
    if _is_uuid(file_id) and _is_uuid(invoice_id):
        file = InvoiceFile.objects.filter(
            pk=file_id, invoice_id=invoice_id, invoice__company=request.sandbox_company
        ).first()
    if file is not None:
        return download(bytes(file.content), file.mimetype, file.filename)
    if _find(request, invoice_id) is None:
        return not_found("Invoice", invoice_id)
    return not_found("File", file_id)
