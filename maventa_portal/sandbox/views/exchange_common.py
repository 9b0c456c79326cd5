"""What every exchange view (invoices, documents, lookup, Detect) does before its own work.

- ``exchange``: brings the imitated exchange up to now (``delivery.advance_lazily``: due deliveries,
  failures, received copies, the incoming trickle), then the token's company's lifecycle, and
  answers any ``BadRequest`` the view raises as 400 ``invalid_parameters``.
- ``verified_exchange``: the same, and refuses a company that has not completed KYC: "sending
  or receiving of invoices is not allowed if company_state is unverified ... and API will
  return error message 'Unauthorized'" (API.md "Companies"; Maventa's overview, "Invoice
  sending"). 401 is the status of Maventa's generic "no access to the resource" (FIELDS.md
  section 0); the details say why.

Both go under ``auth.bearer``, which sets ``request.sandbox_company``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from .. import delivery, lifecycle
from ..models import Company
from ..responses import BadRequest, bad_request, error

UNAUTHORIZED = "Unauthorized"
NOT_VERIFIED = (
    "company_state is {state}: invoices can be sent and received once the company is verified "
    "(Know Your Customer)"
)


def exchange(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        delivery.advance_lazily()
        request.sandbox_company = lifecycle.advance(request.sandbox_company)
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return bad_request(exc)

    return wrapped


def verified_exchange(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @exchange
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        company = request.sandbox_company
        if company.company_state != Company.State.VERIFIED:
            details = [NOT_VERIFIED.format(state=company.company_state)]
            return error(401, "unauthorized", UNAUTHORIZED, details)
        return view(request, *args, **kwargs)

    return wrapped


def not_found(what: str, identifier: str) -> HttpResponse:
    # Another company's object answers as an unknown one: "not found or no access" (FIELDS.md 0).
    return error(404, "not_found", f"{what} {identifier} not found")
