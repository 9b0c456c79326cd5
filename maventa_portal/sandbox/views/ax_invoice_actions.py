"""What a company does to an invoice it holds (FIELDS.md section 5).

- ``PATCH /v1/invoices/{id}/invoice_events`` ``{state: CREATED|HANDLED}`` -> 204.
- ``PUT /v1/invoices/{id}/reroute/{einvoice|email|print}`` -> 200, no body: a sent invoice
  that was delivered or failed goes again by that route (its fields below; 400 when one is
  missing; 400 for a received invoice or one still PENDING). Its former route and recipient go
  to ``revision``; an INFO action says so; it is PENDING again and moves as a new send does.
- Fraud reports: ``GET /v1/invoices/reports/definitions`` (no token) -> 200
  ReportsDefinitions; ``GET /v1/invoices/{id}/reports`` -> 200 UserReport[], 404 when this
  company has not reported the sender; ``POST`` ``{reason[], contact_email, description?}``
  -> 204, 409 when already reported, 403 for a sent invoice; ``DELETE .../{report_id}`` -> 204.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import delivery, invoices, reports, routing
from ..auth import bearer
from ..models import Invoice
from ..responses import BadRequest, error, json_body, json_response, no_content
from .exchange_common import not_found, verified_exchange

REROUTE_FIELDS = {
    routing.EINVOICE: (("recipient_eia", "recipient_operator"), ()),
    routing.EMAIL: (("recipient_email",), ()),
    routing.PRINT: (
        (
            "recipient_name",
            "recipient_address1",
            "recipient_post_code",
            "recipient_post_office",
            "recipient_country",
        ),
        ("recipient_address2", "recipient_state"),
    ),
}
NOT_SENT = "Only sent invoices can be rerouted"
STILL_PENDING = "The invoice is still being delivered: reroute it once DELIVERED or FAILED"


def _find(request: HttpRequest, invoice_id: str) -> Invoice | None:
    return invoices.find_invoice(request.sandbox_company, invoice_id)


@bearer
@verified_exchange
def invoice_events(request: HttpRequest, invoice_id: str) -> HttpResponse:
    data = json_body(request)
    state = data.get("state")
    if state not in Invoice.EventState.values:
        raise BadRequest(
            "Invalid parameters", [f"state must be one of {', '.join(Invoice.EventState.values)}"]
        )
    invoice = _find(request, invoice_id)
    if invoice is None:
        return not_found("Invoice", invoice_id)
    Invoice.objects.filter(pk=invoice.pk).update(event_state=state)
    return no_content()


def _reroute_fields(route: str, data: dict) -> dict[str, str]:
    required, optional = REROUTE_FIELDS[route]
    problems = [f"{name} is missing" for name in required if not _text(data.get(name))]
    problems += [
        f"{name} must be a string"
        for name in (*required, *optional)
        if data.get(name) is not None and not isinstance(data.get(name), str)
    ]
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return {name: _text(data.get(name)) for name in (*required, *optional)}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


@bearer
@verified_exchange
def reroute(request: HttpRequest, invoice_id: str, route: str) -> HttpResponse:
    fields = _reroute_fields(route, json_body(request))
    invoice = _find(request, invoice_id)
    if invoice is None:
        return not_found("Invoice", invoice_id)
    if invoice.direction != Invoice.Direction.SENT:
        raise BadRequest(NOT_SENT)
    if invoice.status == Invoice.Status.PENDING:
        raise BadRequest(STILL_PENDING)
    now = timezone.now()
    invoice.revision = {
        "destination": invoice.destination,
        "recipient_eia": invoice.recipient_eia,
        "recipient_operator": invoice.recipient_operator,
        "recipient_email": invoice.recipient_email,
        "status": invoice.status,
        "rerouted_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if route == routing.EINVOICE:
        invoice.recipient_eia = fields["recipient_eia"]
        invoice.recipient_operator = fields["recipient_operator"]
    elif route == routing.EMAIL:
        invoice.recipient_email = fields["recipient_email"]
    else:
        invoice.recipient_name = fields["recipient_name"]
        invoice.recipient_country = fields["recipient_country"].upper()[:2]
    chosen = routing.route_invoice(
        eia=invoice.recipient_eia,
        operator=invoice.recipient_operator,
        email=invoice.recipient_email,
        country=invoice.recipient_country,
        disabled=[],
        only=route,
    )
    invoice.status = Invoice.Status.PENDING
    delivery.plan_invoice(invoice, chosen, now)
    with transaction.atomic():
        invoice.save()
        invoices.add_action(invoice, "INFO", now, chosen.channel, f"Rerouted via {route}")
    return HttpResponse(status=200)


def report_definitions(request: HttpRequest) -> HttpResponse:
    return json_response(reports.definitions())


def _report_body(data: dict) -> tuple[list[str], str, str]:
    problems = []
    reasons = data.get("reason")
    if not isinstance(reasons, list) or not reasons:
        problems.append("reason must be a non-empty list")
        reasons = []
    problems += [
        f"reason {r!r} is not one of {', '.join(reports.REASONS)}"
        for r in reasons
        if r not in reports.REASONS
    ]
    email = data.get("contact_email")
    try:
        validate_email(email if isinstance(email, str) else "")
    except ValidationError:
        problems.append("contact_email is missing or invalid")
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        problems.append("description must be a string")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return reasons, email, description or ""


@bearer
@verified_exchange
def invoice_reports(request: HttpRequest, invoice_id: str) -> HttpResponse:
    body = json_body(request) if request.method == "POST" else {}
    invoice = _find(request, invoice_id)
    if invoice is None:
        return not_found("Invoice", invoice_id)
    company = request.sandbox_company
    if request.method == "GET":
        found = list(reports.reports_of_sender(company, invoice))
        if not found:
            return error(404, "not_found", "No user report found")
        return json_response([reports.as_report(report) for report in found])
    reasons, email, description = _report_body(body)
    if invoice.direction != Invoice.Direction.RECEIVED:
        return error(403, "forbidden", reports.SENT_INVOICE)
    try:
        reports.report(
            reporter=company,
            invoice=invoice,
            user_id=str(request.sandbox_token.user_id or ""),
            reasons=reasons,
            contact_email=email,
            description=description,
        )
    except reports.AlreadyReported as exc:
        return error(409, "conflict", str(exc))
    return no_content()


@bearer
@verified_exchange
def delete_report(request: HttpRequest, invoice_id: str, report_id: str) -> HttpResponse:
    invoice = _find(request, invoice_id)
    if invoice is None:
        return not_found("Invoice", invoice_id)
    try:
        pk = uuid.UUID(report_id)
    except ValueError:
        return error(404, "not_found", "No user report found")
    deleted, _ = reports.reports_of_sender(request.sandbox_company, invoice).filter(pk=pk).delete()
    if not deleted:
        return error(404, "not_found", "No user report found")
    return no_content()
