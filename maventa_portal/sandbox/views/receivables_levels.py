"""Service levels of a company's customers (API.md "Receivables API"; FIELDS.md section 13).

- ``GET /v1/service_levels`` -> 200 ``[{customer_bid, service_level}]``: only the customers
  with ``premium``, ``vip`` or ``service_bypass``; everyone else is ``default``, not listed.
- ``GET /v1/service_levels/{customer_bid}`` -> 200 ``{customer_bid, service_level}``.
- ``PATCH /v1/service_levels/{customer_bid}`` ``{service_level}`` -> 200 the same; setting
  ``default`` removes the customer from the list.
"""

from django.http import HttpRequest, HttpResponse

from ..auth import bearer
from ..models import ServiceLevel
from ..receivables_fields import DEFAULT_LEVEL, SERVICE_LEVELS_LISTED
from ..responses import BadRequest, bad_request, json_body, json_response


def _shown(customer_bid: str, level: str) -> dict[str, str]:
    return {"customer_bid": customer_bid, "service_level": level}


@bearer
def list_levels(request: HttpRequest) -> HttpResponse:
    found = ServiceLevel.objects.filter(company=request.sandbox_company).order_by("customer_bid")
    return json_response([_shown(s.customer_bid, s.level) for s in found])


@bearer
def get_level(request: HttpRequest, customer_bid: str) -> HttpResponse:
    found = ServiceLevel.objects.filter(
        company=request.sandbox_company, customer_bid=customer_bid
    ).first()
    return json_response(_shown(customer_bid, found.level if found else DEFAULT_LEVEL))


@bearer
def set_level(request: HttpRequest, customer_bid: str) -> HttpResponse:
    allowed = (*SERVICE_LEVELS_LISTED, DEFAULT_LEVEL)
    try:
        level = json_body(request).get("service_level")
        if level not in allowed:
            raise BadRequest("Invalid parameters", [f"service_level must be one of {allowed}"])
    except BadRequest as exc:
        return bad_request(exc)
    mine = ServiceLevel.objects.filter(company=request.sandbox_company, customer_bid=customer_bid)
    if level == DEFAULT_LEVEL:
        mine.delete()
    else:
        ServiceLevel.objects.update_or_create(
            company=request.sandbox_company, customer_bid=customer_bid, defaults={"level": level}
        )
    return json_response(_shown(customer_bid, level))
