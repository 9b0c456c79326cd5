"""Partner feeds across the partner's companies (FIELDS.md section 10; scope
``partner:invoice_delivery_actions``). Two path families with the same shapes:

- ``GET /v1/partner/invoice_delivery_actions/inbound`` and ``GET
  /v1/partner/invoice_events/received`` ``?state=CREATED|HANDLED (CREATED)&page&per_page (100)``
  -> 200 ``[{company_id, invoice_id, state, created_at}]``: received invoices, oldest first.
  ``PATCH /v1/invoices/{id}/invoice_events {state: HANDLED}``, as the company, takes one out.
- ``GET /v1/partner/invoice_delivery_actions/outbound_errors`` and ``GET
  /v1/partner/invoice_events/sent_errors`` ``?happened_after (required)&happened_before (now)
  &page&per_page (100)`` -> 200 ``[{company_id, invoice_id}]``: sent invoices that failed in
  that window, each once, by their first failure in it.

The partner is the vendor key the token was fetched with; a token fetched without one speaks
for the vendor keys its company is linked to. Paging as everywhere (``paging.py``).
"""

from django.db.models import Min, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import delivery, params
from ..auth import bearer
from ..models import Company, Invoice, InvoiceAction
from ..paging import page_params, paginate, with_headers
from ..responses import BadRequest, bad_request, isoformat, json_response

PER_PAGE = 100


def _partner_companies(request: HttpRequest) -> QuerySet[Company]:
    token = request.sandbox_token
    if token.vendor_id is not None:
        return Company.objects.filter(vendors=token.vendor_id)
    linked = request.sandbox_company.vendors.values_list("pk", flat=True)
    return Company.objects.filter(vendors__in=list(linked)).distinct()


@bearer
def inbound(request: HttpRequest) -> HttpResponse:
    try:
        state = request.GET.get("state") or Invoice.EventState.CREATED
        problems: list[str] = []
        params.one_of(state, tuple(Invoice.EventState.values), "state", problems)
        params.raise_if(problems)
        page, per_page = page_params(request, default_per_page=PER_PAGE)
    except BadRequest as exc:
        return bad_request(exc)
    delivery.advance_lazily()
    found = Invoice.objects.filter(
        direction=Invoice.Direction.RECEIVED,
        event_state=state,
        company__in=_partner_companies(request),
    ).order_by("received_at", "created_at", "id")
    shown, headers = paginate(request, found, page, per_page)
    body = [
        {
            "company_id": str(invoice.company_id),
            "invoice_id": str(invoice.pk),
            "state": invoice.event_state,
            "created_at": isoformat(invoice.received_at or invoice.created_at),
        }
        for invoice in shown
    ]
    return with_headers(json_response(body), headers)


@bearer
def outbound_errors(request: HttpRequest) -> HttpResponse:
    try:
        problems: list[str] = []
        after = params.moment(request, "happened_after", problems)
        if after is None and not problems:
            problems.append("happened_after is missing")
        before = params.moment(request, "happened_before", problems) or timezone.now()
        params.raise_if(problems)
        page, per_page = page_params(request, default_per_page=PER_PAGE)
    except BadRequest as exc:
        return bad_request(exc)
    delivery.advance_lazily()
    found = (
        InvoiceAction.objects.filter(
            type="ERROR",
            happened_at__gt=after,
            happened_at__lte=before,
            invoice__direction=Invoice.Direction.SENT,
            invoice__company__in=_partner_companies(request),
        )
        .values("invoice_id", "invoice__company_id")
        .annotate(first=Min("happened_at"))
        .order_by("first", "invoice_id")
    )
    shown, headers = paginate(request, found, page, per_page)
    body = [
        {"company_id": str(row["invoice__company_id"]), "invoice_id": str(row["invoice_id"])}
        for row in shown
    ]
    return with_headers(json_response(body), headers)
