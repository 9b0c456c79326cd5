"""AX company endpoints: users and companies registration, the companies' states, and the KYC
sign requests (FIELDS.md section 2).

``GET /v1/company`` is not served: the schema has no such path (FIELDS.md section 12, item 32);
``GET /oauth2/current`` names the token's company.

A registered company starts UNVERIFIED and completes KYC by itself after the lifecycle's
``kyc_seconds`` (``lifecycle.py``); reads of its state bring it up to date first.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import accounts, lifecycle
from ..auth import bearer
from ..models import Company
from ..responses import BadRequest, bad_request, error, json_body, json_response, parse_json

MULTIPART = "multipart/form-data"
LOCALES = ("FI", "NO", "SE", "EN", "NL")


def create_user(request: HttpRequest) -> HttpResponse:
    """``POST /v1/users`` (JSON, no token) -> 201 ``{user_api_key}``."""
    try:
        data = json_body(request)
    except BadRequest as exc:
        return bad_request(exc)
    missing = [f"{name} is missing" for name in ("vendor_api_key", "email") if not data.get(name)]
    if missing:
        return error(400, "invalid_parameters", "Invalid parameters", missing)
    vendor = accounts.find_vendor(str(data["vendor_api_key"]))
    if vendor is None:
        return error(401, "unauthorized", "Unknown vendor API key")
    _, api_key = accounts.create_user(
        vendor=vendor,
        email=str(data["email"]),
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
    )
    return json_response({"user_api_key": api_key}, status=201)


def create_company(request: HttpRequest) -> HttpResponse:
    """``POST /v1/companies`` (multipart, no token) -> 201 ``{id}``; 400 on a known bid.

    400 rather than 422: the operation documents 201 alone, and Maventa's generic errors
    (FIELDS.md section 0) give 400 for bad input; the code tells the case apart.
    """
    if request.content_type != MULTIPART:
        return error(400, "invalid_parameters", f"The request body must be {MULTIPART}")
    data = request.POST
    missing = [f"{n} is missing" for n in ("vendor_api_key", "user_api_key") if not data.get(n)]
    try:
        fields = accounts.clean_company_fields(data)
    except BadRequest as exc:
        missing += exc.details
    if missing:
        return error(400, "invalid_parameters", "Invalid parameters", missing)
    vendor = accounts.find_vendor(data["vendor_api_key"])
    user = accounts.find_user(data["user_api_key"])
    if vendor is None or user is None:
        return error(401, "unauthorized", "Unknown vendor or user API key")
    fields["verify_at"] = lifecycle.kyc_due(timezone.now())
    try:
        company = accounts.register_company(vendor=vendor, user=user, fields=fields)
    except accounts.BidConflict as exc:
        return error(400, "company_bid_conflict", str(exc))
    return json_response({"id": str(company.pk)}, status=201)


@bearer
def list_companies(request: HttpRequest) -> HttpResponse:
    """``GET /v1/companies?bid=&country=`` -> 200 ``[{id, name, bid}]`` the user can see."""
    companies = request.sandbox_token.user.companies.order_by("name")
    if request.GET.get("bid"):
        companies = companies.filter(bid=request.GET["bid"])
    if request.GET.get("country"):
        companies = companies.filter(country=request.GET["country"].upper())
    return json_response([{"id": str(c.pk), "name": c.name, "bid": c.bid} for c in companies])


@bearer
def operator_companies(request: HttpRequest) -> HttpResponse:
    """``GET /v1/operator/companies?bid=&country=`` (operator token) -> 200 ``[{id, name}]``.

    Both parameters are required (FIELDS.md section 10); the operator sees every company.
    """
    bid, country = request.GET.get("bid", "").strip(), request.GET.get("country", "").strip()
    missing = [
        f"{name} is missing" for name, value in (("bid", bid), ("country", country)) if not value
    ]
    if missing:
        return error(400, "invalid_parameters", "Invalid parameters", missing)
    companies = Company.objects.filter(bid=bid, country=country.upper()).order_by("name")
    return json_response([{"id": str(c.pk), "name": c.name} for c in companies])


def _authorization_status(company: Company) -> dict[str, str]:
    return {
        "auth_state": company.auth_state,
        "auth_email": company.auth_email,
        "company_state": company.company_state,
    }


@bearer
def company_authorization(request: HttpRequest) -> HttpResponse:
    """``GET /v1/company/authorization`` -> 200 APIEntitiesCompanyAuthorizationStatus."""
    return json_response(_authorization_status(lifecycle.advance(request.sandbox_company)))


@bearer
def company_status(request: HttpRequest, company_id: UUID) -> HttpResponse:
    """``GET /v1/companies/{id}/status`` -> 200 APIEntitiesCompanyAuthorizationStatus.

    A company the token's user lacks answers 404 as an unknown one does: "not found or no
    access" (FIELDS.md section 0), so that ids of other partners' companies cannot be probed.
    """
    company = request.sandbox_token.user.companies.filter(pk=company_id).first()
    if company is None:
        return error(404, "not_found", f"Company {company_id} not found or no access")
    return json_response(_authorization_status(lifecycle.advance(company)))


def _sign_request(data: dict[str, Any]) -> list[str]:
    """Problems with ``{auth_email, locale, options?}``, the fields both KYC calls share."""
    problems = []
    email = data.get("auth_email")
    try:
        validate_email(email if isinstance(email, str) else "")
    except ValidationError:
        problems.append("auth_email is missing or invalid")
    if data.get("locale") not in LOCALES:
        problems.append(f"locale must be one of {', '.join(LOCALES)}")
    options = data.get("options")
    if options is not None and not isinstance(options, str):
        problems.append("options must be a string (JSON text)")
    elif options:
        # "JSON string used to provide proof of KYC process" (FIELDS.md section 2).
        try:
            parse_json(options, what="options")
        except BadRequest as exc:
            problems.append(exc.message)
    return problems


def _send_sign_request(companies: list[Company], auth_email: str) -> int:
    """Visma Sign would email ``auth_email`` now; the sandbox only records that it did, and
    answers how many requests went out.

    The signature itself is not imitated: verification follows ``kyc_seconds`` (lifecycle.py).
    """
    # Already verified companies have signed: nothing is sent to them, nor counted. The filter
    # sits in the UPDATE so that a verification landing meanwhile is not overwritten.
    return (
        Company.objects.filter(pk__in=[c.pk for c in companies])
        .exclude(company_state=Company.State.VERIFIED)
        .update(auth_state=Company.AuthState.SENT, auth_email=auth_email, updated_at=timezone.now())
    )


@bearer
def send_company_authorization(request: HttpRequest) -> HttpResponse:
    """``POST /v1/company/authorization`` ``{auth_email, locale, options?}`` -> 200
    APIEntitiesCompanyAuthorization ``{status: "sent", count: 1}`` (count 0 once verified)."""
    try:
        data = json_body(request)
    except BadRequest as exc:
        return bad_request(exc)
    problems = _sign_request(data)
    if problems:
        return error(400, "invalid_parameters", "Invalid parameters", problems)
    sent = _send_sign_request([lifecycle.advance(request.sandbox_company)], data["auth_email"])
    return json_response({"status": "sent", "count": sent})


@bearer
def send_authorizations(request: HttpRequest) -> HttpResponse:
    """``POST /v1/companies/authorizations`` ``{auth_email, company_ids[], locale, options?}``
    -> 202 ``{status: "sent", count}`` (count: the unverified ones).

    A company the token's user lacks (or that does not exist) answers 400, the one error the
    operation documents: the "admin user needs to have access to all of the companies given"
    (FIELDS.md section 2), so the request is bad input; nothing is sent to any of them.
    """
    try:
        data = json_body(request)
    except BadRequest as exc:
        return bad_request(exc)
    problems = _sign_request(data)
    ids = data.get("company_ids")
    wanted: list[UUID] = []
    if not isinstance(ids, list) or not ids:
        problems.append("company_ids must be a non-empty list of company ids")
    else:
        for value in ids:
            try:
                wanted.append(UUID(str(value)))
            except ValueError:
                problems.append(f"company_ids: {value} is not a company id")
    if problems:
        return error(400, "invalid_parameters", "Invalid parameters", problems)
    wanted = list(dict.fromkeys(wanted))
    companies = list(request.sandbox_token.user.companies.filter(pk__in=wanted))
    if len(companies) != len(wanted):
        missing = sorted(str(pk) for pk in set(wanted) - {c.pk for c in companies})
        details = [f"company_ids: {pk} not found or no access" for pk in missing]
        return error(400, "invalid_parameters", "Invalid parameters", details)
    sent = _send_sign_request([lifecycle.advance(c) for c in companies], data["auth_email"])
    return json_response({"status": "sent", "count": sent}, status=202)
