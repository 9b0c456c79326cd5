"""AX company endpoints: users and companies registration, the token's company and its state."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse

from .. import accounts
from ..auth import bearer, forbidden
from ..models import Company
from ..responses import BadRequest, bad_request, error, json_body, json_response

MULTIPART = "multipart/form-data"


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
    """``POST /v1/companies`` (multipart, no token) -> 201 ``{id}``; 422 on a known bid."""
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
    try:
        company = accounts.register_company(vendor=vendor, user=user, fields=fields)
    except accounts.BidConflict as exc:
        return error(422, "company_bid_conflict", str(exc))
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
def current_company(request: HttpRequest) -> HttpResponse:
    """``GET /v1/company`` -> 200 the token's company.

    The shape is assumed: the schema has no such path (FIELDS.md section 12, item 32), API.md uses
    it to check linked credentials. Kept to the CompanyParty fields plus the verification state.
    """
    company = request.sandbox_company
    body = {
        "id": str(company.pk),
        "name": company.name,
        "bid": company.bid,
        "country": company.country,
        "company_state": company.company_state,
    }
    if company.vat:
        body["vat"] = company.vat
    if company.eia:
        body["eia"] = company.eia
    return json_response(body)


def _authorization_status(company: Company) -> dict[str, str]:
    return {
        "auth_state": company.auth_state,
        "auth_email": company.auth_email,
        "company_state": company.company_state,
    }


@bearer
def company_authorization(request: HttpRequest) -> HttpResponse:
    """``GET /v1/company/authorization`` -> 200 APIEntitiesCompanyAuthorizationStatus."""
    return json_response(_authorization_status(request.sandbox_company))


@bearer
def company_status(request: HttpRequest, company_id: UUID) -> HttpResponse:
    """``GET /v1/companies/{id}/status`` -> 200 APIEntitiesCompanyAuthorizationStatus."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        return error(404, "not_found", f"Company {company_id} not found")
    if not request.sandbox_token.user.companies.filter(pk=company_id).exists():
        return forbidden(request.sandbox_path)
    return json_response(_authorization_status(company))
