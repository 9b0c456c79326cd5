"""POST /v1/users and POST /v1/companies, and reading companies back."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from maventa_portal.sandbox.models import Company, digest
from tests.sandbox.conftest import ax_get, company_token
from tests.sandbox.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.sandbox


def _create_user(sandbox, **body) -> requests.Response:
    return requests.post(f"{sandbox.ax_url}/v1/users", json=body, timeout=10)


def _multipart(fields: dict[str, str]) -> dict[str, tuple[None, str]]:
    return {name: (None, value) for name, value in fields.items()}


def _create_company(sandbox, fields: dict[str, str]) -> requests.Response:
    return requests.post(f"{sandbox.ax_url}/v1/companies", files=_multipart(fields), timeout=10)


@pytest.fixture
def user_api_key(sandbox, settings) -> str:
    response = _create_user(
        sandbox, vendor_api_key=settings.MAVENTA_VENDOR_API_KEY, email="owner@example.com"
    )
    assert response.status_code == HTTPStatus.CREATED
    return response.json()["user_api_key"]


@pytest.fixture
def company_fields(settings, user_api_key) -> dict[str, str]:
    return {
        "vendor_api_key": settings.MAVENTA_VENDOR_API_KEY,
        "user_api_key": user_api_key,
        "name": "Uusi Oy",
        "bid": "1234567-1",
        "no_vat": "true",
        "address1": "Katu 1",
        "post_code": "00100",
        "post_office": "Helsinki",
        "city": "Helsinki",
        "country": "FI",
        "email": "info@uusi.example",
    }


def test_user_missing_email_is_invalid(sandbox, settings):
    response = _create_user(sandbox, vendor_api_key=settings.MAVENTA_VENDOR_API_KEY)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_parameters"
    assert response.json()["details"] == ["email is missing"]


def test_user_with_unknown_vendor_key_is_unauthorized(sandbox):
    response = _create_user(sandbox, vendor_api_key="no-such-vendor", email="a@example.com")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "no-such-vendor" not in response.text


def test_registered_company_starts_unverified_and_its_user_gets_tokens(sandbox, company_fields):
    response = _create_company(sandbox, company_fields)

    assert response.status_code == HTTPStatus.CREATED
    company_id = response.json()["id"]
    token = company_token(
        sandbox,
        {
            "company_id": company_id,
            "api_key": company_fields["user_api_key"],
            "vendor_api_key": company_fields["vendor_api_key"],
        },
    )
    party = ax_get(sandbox, "/oauth2/current", token).json()["company"]
    assert party["id"] == company_id
    assert Company.objects.get(pk=company_id).eia == "003712345671"
    assert ax_get(sandbox, "/v1/company/authorization", token).json() == {
        "auth_state": "NONE",
        "auth_email": "",
        "company_state": "UNVERIFIED",
    }


def test_missing_fields_are_listed(sandbox, company_fields):
    for name in ("name", "city", "email", "no_vat"):
        del company_fields[name]

    response = _create_company(sandbox, company_fields)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["code"] == "invalid_parameters"
    assert set(body["details"]) == {
        "name is missing",
        "city is missing",
        "email is missing",
        "no_vat is missing",
    }


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        ("name", "Oy", "name must be at least 3 characters"),
        ("country", "DE", "country must be one of FI, SE, NO, DK, NL"),
        ("bid", "1234567-2", "bid is not a valid Finnish business ID (1234567-8)"),
        ("no_vat", "maybe", "no_vat must be true or false"),
        ("email", "not-an-email", "email is invalid"),
    ],
)
def test_bad_values_are_invalid(sandbox, company_fields, field, value, detail):
    company_fields[field] = value

    response = _create_company(sandbox, company_fields)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert detail in response.json()["details"]


def test_unknown_user_key_is_unauthorized(sandbox, company_fields):
    company_fields["user_api_key"] = "00000000-no-such-user"

    response = _create_company(sandbox, company_fields)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "no-such-user" not in response.text


def test_second_company_with_the_same_bid_is_bad_input(sandbox, company_fields):
    # The operation documents 201 alone; Maventa's generic errors give 400 for bad input.
    assert _create_company(sandbox, company_fields).status_code == HTTPStatus.CREATED

    response = _create_company(sandbox, {**company_fields, "name": "Toinen Oy"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "company_bid_conflict"


def test_form_urlencoded_body_is_refused(sandbox, company_fields):
    response = requests.post(f"{sandbox.ax_url}/v1/companies", data=company_fields, timeout=10)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_companies_lists_those_of_the_tokens_user(sandbox, company, token):
    user = UserFactory(api_key_digest=digest("shared-user-key"))
    first, second = CompanyFactory(verified=True), CompanyFactory()
    first.users.add(user)
    second.users.add(user)
    CompanyFactory()  # someone else's
    token = company_token(
        sandbox,
        {"company_id": str(first.pk), "api_key": "shared-user-key", "vendor_api_key": ""},
    )

    listed = ax_get(sandbox, "/v1/companies", token).json()
    filtered = ax_get(sandbox, "/v1/companies", token, params={"bid": second.bid}).json()

    assert {c["id"] for c in listed} == {str(first.pk), str(second.pk)}
    assert filtered == [{"id": str(second.pk), "name": second.name, "bid": second.bid}]


def test_current_company_path_outside_the_schema_is_not_served(sandbox, token):
    # GET /v1/company is not in the schema (FIELDS.md section 12, item 32): /oauth2/current is.
    response = ax_get(sandbox, "/v1/company", token)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_companies_needs_a_token(sandbox):
    assert ax_get(sandbox, "/v1/companies", None).status_code == HTTPStatus.UNAUTHORIZED
