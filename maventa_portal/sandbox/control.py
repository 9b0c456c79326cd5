"""The control API under ``/sandbox/_control/``: how tests, benchmarks and the demo steer it.

No auth (the sandbox only exists when ``MAVENTA_ENV`` is ``sandbox``) and never faulted.

- ``POST reset`` -> 204: faults, script, counters, lifecycle timings, the exchange's, the
  webhooks' and Amili's configuration back to their defaults, the webhook outbox emptied;
  accounts, tokens, registrations, invoices, documents, events and subscriptions kept.
- ``GET faults`` / ``PUT faults`` -> 200 the configuration (PUT replaces it whole).
- ``GET stats`` -> 200 ``{tokens_issued, token_requests, requests}``.
- ``POST expire_tokens`` -> 204: every issued token is expired now.
- ``POST accounts`` -> 201 (200 when a vendor or operator already existed). A company given
  ``company_state`` keeps it (no automatic KYC); without one it starts UNVERIFIED and completes
  KYC after the lifecycle's ``kyc_seconds``, as one registered through ``POST /v1/companies``.
  A company given ``vendor_api_key`` is linked to that vendor key (made when new) instead of the
  partner's own.
- lifecycle, tick, companies, profiles and events: see ``control_states``.
- exchange, incoming, invoices and documents: see ``control_exchange``.
- webhooks, their deliveries and flush: see ``control_webhooks``.
- Receivables (assignments, Amili's messages and answer delay): see ``control_receivables``.
- OP Laskulaina (its signing page, activation at once, repayments): see ``op_credit_control``.
- The newer Amili onboarding's KYC decided without its page: see ``control_amili``.
- Payslip (status timing, a failing package, Direct Print accounts): see ``payslip_control``.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import (
    accounts,
    control_amili,
    control_exchange,
    control_receivables,
    control_states,
    control_webhooks,
    delivery,
    incoming,
    lifecycle,
    op_credit_control,
    payslip_control,
)
from .auth import expire_all_tokens
from .exchange_schedule import exchange_schedule
from .faults import switchboard
from .models import Company
from .responses import (
    BadRequest,
    bad_request,
    by_method,
    error,
    json_body,
    json_response,
    no_content,
)
from .stats import stats


def reset(request: HttpRequest) -> HttpResponse:
    switchboard.reset()
    stats.reset()
    lifecycle.schedule.reset()
    exchange_schedule.reset()
    delivery.lazy.look_again()
    incoming.trickle_state.reset()
    control_webhooks.reset()
    control_receivables.reset()
    payslip_control.reset()
    return no_content()


def get_faults(request: HttpRequest) -> HttpResponse:
    return json_response(switchboard.snapshot())


def put_faults(request: HttpRequest) -> HttpResponse:
    try:
        return json_response(switchboard.configure(json_body(request)))
    except BadRequest as exc:
        return bad_request(exc)


def get_stats(request: HttpRequest) -> HttpResponse:
    return json_response(stats.snapshot())


def expire_tokens(request: HttpRequest) -> HttpResponse:
    expire_all_tokens()
    return no_content()


def create_account(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        kind = data.get("kind")
        maker = _ACCOUNT_MAKERS.get(kind) if isinstance(kind, str) else None
        if maker is None:
            raise BadRequest("kind must be company, vendor or operator")
        return maker(data)
    except BadRequest as exc:
        return bad_request(exc)


def _required(data: dict[str, Any], *names: str) -> None:
    missing = [f"{name} is missing" for name in names if not data.get(name)]
    if missing:
        raise BadRequest("Invalid parameters", missing)


# POST /v1/companies creates companies of five countries only (FIELDS.md section 2); a German
# company exists at Maventa all the same when registered through other channels, and a partner
# then links it with its credentials. The control API can hold one for that case.
HELD_ELSEWHERE = ("DE",)


def _company(data: dict[str, Any]) -> HttpResponse:
    """A shortcut for POST /v1/users + POST /v1/companies, linked to the partner's vendor key."""
    _required(data, "name", "bid")
    country = data.get("country") or "FI"
    state = data.get("company_state") or Company.State.UNVERIFIED
    problems = []
    countries = (*Company.Country.values, *HELD_ELSEWHERE)
    if country not in countries:
        problems.append(f"country must be one of {', '.join(countries)}")
    if state not in Company.State.values:
        problems.append(f"company_state must be one of {', '.join(Company.State.values)}")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    email = data.get("email") or "company@example.com"
    fields = {
        "name": str(data["name"]),
        "bid": str(data["bid"]),
        "country": country,
        "email": email,
        "company_state": state,
        # An explicit state wins over the lifecycle's KYC.
        "verify_at": None if data.get("company_state") else lifecycle.kyc_due(timezone.now()),
        # A bid starting with its country code is taken for a VAT number (FIELDS.md no_vat).
        "no_vat": not str(data["bid"]).upper().startswith(country),
    }
    vendor_key = data.get("vendor_api_key") or settings.MAVENTA_VENDOR_API_KEY
    if not isinstance(vendor_key, str):
        raise BadRequest("Invalid parameters", ["vendor_api_key must be a string"])
    vendor = accounts.find_vendor(vendor_key) or accounts.create_vendor(api_key=vendor_key)[0]
    try:
        # One transaction, so that a bid conflict leaves no orphan user behind.
        with transaction.atomic():
            user, api_key = accounts.create_user(vendor=vendor, email=email)
            company = accounts.register_company(vendor=vendor, user=user, fields=fields)
    except accounts.BidConflict as exc:
        return error(422, "company_bid_conflict", str(exc))
    body = {
        "company_id": str(company.pk),
        "api_key": api_key,
        "vendor_api_key": vendor_key,
    }
    return json_response(body, status=201)


def _vendor(data: dict[str, Any]) -> HttpResponse:
    _required(data, "api_key")
    vendor, created = accounts.create_vendor(api_key=data["api_key"], name=data.get("name", ""))
    return json_response({"kind": "vendor", "id": vendor.pk}, status=201 if created else 200)


def _operator(data: dict[str, Any]) -> HttpResponse:
    _required(data, "operator_id", "secret")
    operator, created = accounts.create_operator(
        operator_id=data["operator_id"], secret=data["secret"]
    )
    body = {"kind": "operator", "operator_id": operator.operator_id}
    return json_response(body, status=201 if created else 200)


_ACCOUNT_MAKERS = {"company": _company, "vendor": _vendor, "operator": _operator}

urlpatterns = [
    path("reset", csrf_exempt(by_method(POST=reset))),
    path("faults", csrf_exempt(by_method(GET=get_faults, PUT=put_faults))),
    path("stats", csrf_exempt(by_method(GET=get_stats))),
    path("expire_tokens", csrf_exempt(by_method(POST=expire_tokens))),
    path("accounts", csrf_exempt(by_method(POST=create_account))),
    *control_states.urlpatterns,
    *control_exchange.urlpatterns,
    *control_webhooks.urlpatterns,
    *control_receivables.urlpatterns,
    *op_credit_control.urlpatterns,
    *control_amili.urlpatterns,
    *payslip_control.urlpatterns,
]
