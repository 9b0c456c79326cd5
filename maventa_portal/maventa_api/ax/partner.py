"""The partner feeds: received invoices and failed deliveries across every company of the
partner's vendor key, in one call each (FIELDS.md section 10).

Two path families with the same shapes: `invoice_delivery_actions` (the newer naming) and
`invoice_events` (the older). The newer is asked first; where Maventa answers 404 for it, the
older one is asked instead. A received invoice leaves the inbound feed once it is marked
HANDLED (`invoices.mark_invoice_event`, as its company).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..client import Api
from ..entities import from_json, query_params
from ..errors import NotFound
from ..paging import Page, check_per_page, page_of

SCOPE = "partner:invoice_delivery_actions"
INBOUND_STATES = ("CREATED", "HANDLED")


@dataclass(frozen=True)
class InboundItem:
    company_id: str = ""
    invoice_id: str = ""
    state: str = ""
    created_at: str = ""


@dataclass(frozen=True)
class OutboundError:
    company_id: str = ""
    invoice_id: str = ""


def inbound(api: Api, *, state: str = "CREATED", page: int = 1, per_page: int = 100) -> Page:
    """`GET /v1/partner/invoice_delivery_actions/inbound` -> 200 InboundItem[]: received
    invoices of every company of the vendor key, by their feed state; one page."""
    if state not in INBOUND_STATES:
        raise ValueError(f"state must be one of {', '.join(INBOUND_STATES)}, not {state!r}.")
    params = query_params(("state", state), ("page", page), ("per_page", check_per_page(per_page)))
    resource = "the partner feed of received invoices"
    try:
        response = api.get(
            "/v1/partner/invoice_delivery_actions/inbound", params=params, resource=resource
        )
    except NotFound:
        response = api.get("/v1/partner/invoice_events/received", params=params, resource=resource)
    return _page(InboundItem, response, page, per_page)


def outbound_errors(
    api: Api,
    *,
    happened_after: datetime | date | str,
    happened_before: datetime | date | str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> Page:
    """`GET /v1/partner/invoice_delivery_actions/outbound_errors` -> 200 OutboundError[]: sent
    invoices that failed in the window (`happened_after` required); ids only."""
    params = query_params(
        ("happened_after", happened_after),
        ("happened_before", happened_before),
        ("page", page),
        ("per_page", check_per_page(per_page)),
    )
    resource = "the partner feed of failed deliveries"
    try:
        response = api.get(
            "/v1/partner/invoice_delivery_actions/outbound_errors", params=params, resource=resource
        )
    except NotFound:
        response = api.get(
            "/v1/partner/invoice_events/sent_errors", params=params, resource=resource
        )
    return _page(OutboundError, response, page, per_page)


def _page(cls, response, page: int, per_page: int) -> Page:
    body = response.body()
    items = [from_json(cls, item) for item in body] if isinstance(body, list) else []
    return page_of(items, response.headers, page=page, per_page=per_page)
