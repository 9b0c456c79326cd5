"""Companies, users and the current session (FIELDS.md sections 1 and 2)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from ..client import Api
from ..entities import from_json, list_from_json

COMPANY_STATES = ("VERIFIED", "UNVERIFIED", "UNKNOWN")
# API.md calls an unverified company_state -1; the schema spells it out. Read both.
_STATE_ALIASES = {"-1": "UNVERIFIED", "1": "VERIFIED", "0": "UNKNOWN"}


def normalise_company_state(value: Any) -> str:
    text = str(value).strip().upper() if value is not None else ""
    text = _STATE_ALIASES.get(text, text)
    return text if text in COMPANY_STATES else "UNKNOWN"


@dataclass(frozen=True)
class CompanyParty:
    id: str = ""
    bid: str = ""
    name: str = ""
    country: str = ""
    vat: str = ""
    wizard_done: bool = False
    disabled: bool = False


@dataclass(frozen=True)
class User:
    id: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class CurrentSession:
    user: User
    company: CompanyParty | None
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthenticatedStatus:
    client_id: str = ""
    expires_at: str = ""


@dataclass(frozen=True)
class UserCompany:
    id: str = ""
    name: str = ""
    bid: str = ""


@dataclass(frozen=True)
class AuthorizationStatus:
    auth_state: str = "NONE"
    auth_email: str = ""
    company_state: str = "UNKNOWN"


@dataclass(frozen=True)
class OperatorCompany:
    id: str = ""
    name: str = ""


@dataclass(frozen=True)
class NewCompany:
    id: str
    user_api_key: str = field(repr=False)


def current(api: Api) -> CurrentSession:
    """`GET /oauth2/current` -> 200: the user, company and scopes of the token.

    How credentials are checked and the token's company read: the schema has no
    `GET /v1/company` (FIELDS.md section 12, item 32); the KYC state is `authorization_status`.
    """
    body = api.get("/oauth2/current", resource="the current session").body() or {}
    company = body.get("company")
    return CurrentSession(
        user=from_json(User, body.get("user")),
        company=from_json(CompanyParty, company) if company else None,
        scopes=tuple(body.get("scopes") or ()),
    )


def authenticated_status(api: Api) -> AuthenticatedStatus:
    """`GET /status/authenticated` -> 200: whether the token works (testing environments)."""
    body = api.get("/status/authenticated", resource="the token status").body()
    return from_json(AuthenticatedStatus, body)


def list_companies(api: Api, *, bid: str = "", country: str = "") -> list[UserCompany]:
    """`GET /v1/companies` -> 200: the companies the token's user may act for."""
    params = {key: value for key, value in (("bid", bid), ("country", country)) if value}
    body = api.get("/v1/companies", params=params, resource="the company list").body()
    return list_from_json(UserCompany, body)


def operator_companies(api: Api, *, bid: str, country: str) -> list[OperatorCompany]:
    """`GET /v1/operator/companies?bid=&country=` (operator token) -> 200 `[{id, name}]`."""
    body = api.get(
        "/v1/operator/companies",
        params={"bid": bid, "country": country},
        resource="the operator's companies",
    ).body()
    return list_from_json(OperatorCompany, body)


def authorization_status(api: Api) -> AuthorizationStatus:
    """`GET /v1/company/authorization` -> 200: KYC state of the token's company."""
    body = api.get("/v1/company/authorization", resource="the company authorization").body()
    return _with_state(from_json(AuthorizationStatus, body), (body or {}).get("company_state"))


def company_status(api: Api, *, company_id: str) -> AuthorizationStatus:
    """`GET /v1/companies/{id}/status` -> 200."""
    path = f"/v1/companies/{quote(company_id, safe='')}/status"
    body = api.get(path, resource="the company status").body()
    return _with_state(from_json(AuthorizationStatus, body), (body or {}).get("company_state"))


AUTHORIZATION_LOCALES = ("FI", "NO", "SE", "EN", "NL")


@dataclass(frozen=True)
class AuthorizationResult:
    status: str = ""
    count: int = 0


def _sign_request(auth_email: str, locale: str, options: str) -> dict[str, Any]:
    payload = {"auth_email": auth_email, "locale": locale}
    if options:
        # JSON text proving the partner's own KYC; mandatory when the partner runs KYC itself.
        payload["options"] = options
    return payload


def request_authorization(api: Api, *, auth_email: str, locale: str, options: str = "") -> str:
    """`POST /v1/company/authorization` -> 200 `{status}`: Maventa emails a Visma Sign request."""
    body = api.post(
        "/v1/company/authorization",
        json=_sign_request(auth_email, locale, options),
        resource="the company authorization",
    ).body()
    return str((body or {}).get("status", ""))


def request_authorizations(
    api: Api, *, auth_email: str, company_ids: list[str], locale: str, options: str = ""
) -> AuthorizationResult:
    """`POST /v1/companies/authorizations` -> 200 or 202 `{status, count}`: one sign request
    for several companies, all of which the token's (admin) user must reach."""
    body = api.post(
        "/v1/companies/authorizations",
        json={**_sign_request(auth_email, locale, options), "company_ids": list(company_ids)},
        resource="the companies' authorization",
    ).body()
    return from_json(AuthorizationResult, body)


def create_user(
    api: Api, *, vendor_api_key: str, email: str, first_name: str = "", last_name: str = ""
) -> str:
    """`POST /v1/users` (no token) -> 201 `{user_api_key}`."""
    payload = {"vendor_api_key": vendor_api_key, "email": email}
    payload.update({k: v for k, v in (("first_name", first_name), ("last_name", last_name)) if v})
    body = api.post("/v1/users", json=payload, resource="user creation").body() or {}
    return str(body.get("user_api_key", ""))


def create_company(
    api: Api,
    *,
    vendor_api_key: str,
    user_api_key: str,
    name: str,
    bid: str,
    no_vat: bool,
    address1: str,
    post_code: str,
    post_office: str,
    city: str,
    country: str,
    email: str,
    address2: str = "",
    state: str = "",
    activate_duetto: bool | None = None,
) -> str:
    """`POST /v1/companies` (no token, multipart) -> 201 `{id}`: the new company's UUID."""
    fields: dict[str, str] = {
        "vendor_api_key": vendor_api_key,
        "user_api_key": user_api_key,
        "name": name,
        "bid": bid,
        "no_vat": "true" if no_vat else "false",
        "address1": address1,
        "post_code": post_code,
        "post_office": post_office,
        "city": city,
        "country": country,
        "email": email,
    }
    if address2:
        fields["address2"] = address2
    if state:
        fields["state"] = state
    if activate_duetto is not None:
        fields["activate_duetto"] = "true" if activate_duetto else "false"
    # requests sends multipart only when files are given; (None, value) makes a plain field.
    multipart = {key: (None, value) for key, value in fields.items()}
    body = api.post("/v1/companies", files=multipart, resource="company creation").body() or {}
    return str(body.get("id", ""))


def _with_state(obj: Any, raw_state: Any) -> Any:
    return replace(obj, company_state=normalise_company_state(raw_state))
