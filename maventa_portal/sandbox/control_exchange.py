"""Control API for the imitated exchange of invoices and documents (mounted by ``control.py``
under ``/sandbox/_control/``):

- ``GET exchange`` / ``PUT exchange`` -> 200 the configuration of ``exchange_schedule`` (PUT
  replaces it whole: keys left out go back to their defaults).
- ``POST incoming`` ``{company_id, count (1-200), format?, document_type?, since?, until?}``
  -> 201 ``{"invoices": [...]}`` (or ``{"documents": [...]}``): received invoices made from the
  samples (``format``: FINVOICE30, PEPPOLBIS30, EHF, TEAPPS30 or MIXED, the default, which
  picks by the company's country), ``received_at`` spread over ``[since, until]`` (ISO 8601;
  the last 30 days by default); ``document_type: ORDER`` makes received orders instead.
- ``GET invoices?company_id=&direction=`` -> 200 the company's invoices as AX answers them.
- ``POST invoices/{id}`` ``{status: DELIVERED|FAILED, message?}`` -> 200 the invoice: a PENDING
  send is delivered or fails now, a DELIVERED one fails now (409 for other moves).
- ``POST documents/{id}`` ``{status: DELIVERED|FAILED, message?}`` -> 200 the document.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import delivery, documents, incoming, incoming_documents, invoices, params
from .exchange_schedule import exchange_schedule
from .models import Company, Document, Invoice
from .responses import (
    BadRequest,
    bad_request,
    by_method,
    error,
    json_body,
    json_response,
)


def _ax_root(request: HttpRequest) -> str:
    """Where the AX API answers, for the ``href`` of files in the answers below."""
    return request.build_absolute_uri(request.path.partition("/_control/")[0] + "/ax")


def get_exchange(request: HttpRequest) -> HttpResponse:
    return json_response(exchange_schedule.snapshot())


def put_exchange(request: HttpRequest) -> HttpResponse:
    try:
        config = exchange_schedule.configure(json_body(request))
        delivery.lazy.look_again()
        return json_response(config)
    except BadRequest as exc:
        return bad_request(exc)


def _company(value: Any) -> Company:
    try:
        found = Company.objects.filter(pk=uuid.UUID(str(value))).first()
    except ValueError:
        found = None
    if found is None:
        raise BadRequest("Invalid parameters", [f"company_id {value!r} is not a sandbox company"])
    return found


_INCOMING = {"company_id", "count", "format", "document_type", "since", "until"}


def _incoming_request(data: dict[str, Any]) -> dict[str, Any]:
    problems = [f"unknown field {key}" for key in data if key not in _INCOMING]
    count = data.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 200:
        problems.append(f"count must be a whole number from 1 to {incoming.MAX_COUNT}")
    format_ = data.get("format") or "MIXED"
    params.one_of(format_, incoming.FORMATS, "format", problems)
    document_type = data.get("document_type") or "INVOICE"
    params.one_of(document_type, ("INVOICE", "ORDER"), "document_type", problems)
    until = params.parse_moment(str(data.get("until") or ""), "until", problems)
    since = params.parse_moment(str(data.get("since") or ""), "since", problems)
    until = until or timezone.now()
    since = since or until - timedelta(days=30)
    if since > until:
        problems.append("since must not be after until")
    params.raise_if(problems)
    company = _company(data.get("company_id"))
    return {
        "company": company,
        "count": count,
        "format_": format_,
        "document_type": document_type,
        "since": since,
        "until": until,
    }


def post_incoming(request: HttpRequest) -> HttpResponse:
    try:
        wanted = _incoming_request(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    root = _ax_root(request)
    company, count = wanted["company"], wanted["count"]
    if wanted["document_type"] == "ORDER":
        made = incoming_documents.generate_orders(
            company, count=count, since=wanted["since"], until=wanted["until"]
        )
        return json_response(
            {"documents": [documents.as_document(d, root) for d in made]}, status=201
        )
    made = incoming.generate(
        company,
        count=count,
        format_=wanted["format_"],
        since=wanted["since"],
        until=wanted["until"],
    )
    return json_response({"invoices": [invoices.as_invoice(i, root) for i in made]}, status=201)


def list_invoices(request: HttpRequest) -> HttpResponse:
    try:
        company = _company(request.GET.get("company_id"))
    except BadRequest as exc:
        return bad_request(exc)
    found = company.invoices.order_by("created_at", "id")
    if request.GET.get("direction"):
        found = found.filter(direction=request.GET["direction"])
    root = _ax_root(request)
    return json_response([invoices.as_invoice(invoice, root) for invoice in found])


def _verdict(data: dict[str, Any], statuses: tuple[str, ...]) -> tuple[str, str]:
    problems = [f"unknown field {key}" for key in data if key not in {"status", "message"}]
    status, message = data.get("status"), data.get("message")
    if status not in statuses:
        problems.append(f"status must be one of {', '.join(statuses)}")
    if message is not None and not isinstance(message, str):
        problems.append("message must be a string")
    params.raise_if(problems)
    return status, message or ""


def set_invoice(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        return error(404, "not_found", f"Invoice {invoice_id} not found")
    try:
        status, message = _verdict(json_body(request), ("DELIVERED", "FAILED"))
        invoice = delivery.force_invoice(invoice, status, message)
    except BadRequest as exc:
        return bad_request(exc)
    except delivery.CannotForce as exc:
        return error(409, "conflict", str(exc))
    root = _ax_root(request)
    return json_response(invoices.as_invoice(invoice, root))


def set_document(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return error(404, "not_found", f"Document {document_id} not found")
    try:
        status, message = _verdict(json_body(request), ("DELIVERED", "FAILED"))
        document = delivery.force_document(document, status, message)
    except BadRequest as exc:
        return bad_request(exc)
    except delivery.CannotForce as exc:
        return error(409, "conflict", str(exc))
    root = _ax_root(request)
    return json_response(documents.as_document(document, root))


urlpatterns = [
    path("exchange", csrf_exempt(by_method(GET=get_exchange, PUT=put_exchange))),
    path("incoming", csrf_exempt(by_method(POST=post_incoming))),
    path("invoices", csrf_exempt(by_method(GET=list_invoices))),
    path("invoices/<uuid:invoice_id>", csrf_exempt(by_method(POST=set_invoice))),
    path("documents/<uuid:document_id>", csrf_exempt(by_method(POST=set_document))),
]
