"""KYC sign requests: POST /v1/company/authorization and POST /v1/companies/authorizations."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, ax_get, company_token

pytestmark = pytest.mark.sandbox

SIGN = {"auth_email": "signer@example.com", "locale": "FI"}


@pytest.fixture
def unverified(sandbox) -> dict:
    return sandbox.create_company(
        name="Odottava Oy", bid="3003000-8", country="FI", company_state="UNVERIFIED"
    )


def test_sign_request_is_sent_for_the_tokens_company(sandbox, unverified):
    token = company_token(sandbox, unverified)

    response = ax_call(sandbox, "POST", "/v1/company/authorization", token, json=SIGN)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "sent", "count": 1}
    assert ax_get(sandbox, "/v1/company/authorization", token).json() == {
        "auth_state": "SENT",
        "auth_email": "signer@example.com",
        "company_state": "UNVERIFIED",
    }


def test_verified_company_has_nothing_to_sign(sandbox, token):
    response = ax_call(sandbox, "POST", "/v1/company/authorization", token, json=SIGN)

    assert response.json() == {"status": "sent", "count": 0}
    assert ax_get(sandbox, "/v1/company/authorization", token).json()["auth_state"] == "NONE"


@pytest.mark.parametrize(
    "body",
    [
        {"locale": "FI"},
        {"auth_email": "not-an-email", "locale": "FI"},
        {"auth_email": "a@example.com", "locale": "DE"},
        {"auth_email": "a@example.com", "locale": "FI", "options": {"kyc": "done"}},
        {"auth_email": "a@example.com", "locale": "FI", "options": "kyc done"},
        {"auth_email": "a@example.com", "locale": "FI", "options": "[" * 5000 + "]" * 5000},
    ],
)
def test_bad_sign_requests_answer_400(sandbox, token, body):
    response = ax_call(sandbox, "POST", "/v1/company/authorization", token, json=body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_parameters"


@pytest.mark.parametrize("path", ["/v1/company/authorization", "/v1/companies/authorizations"])
def test_kyc_proof_as_json_text_is_accepted(sandbox, unverified, path):
    token = company_token(sandbox, unverified)
    proof = '{"provider": "own", "checked_at": "2024-05-02T10:00:00Z"}'
    body = {**SIGN, "options": proof, "company_ids": [unverified["company_id"]]}

    response = ax_call(sandbox, "POST", path, token, json=body)

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.ACCEPTED)
    assert response.json() == {"status": "sent", "count": 1}


@pytest.fixture
def two_companies_of_one_user(sandbox, settings) -> tuple[str, list[str]]:
    """One user owning two unverified companies; returns its token and the company ids."""
    key = settings.MAVENTA_VENDOR_API_KEY
    user = ax_call(
        sandbox, "POST", "/v1/users", None, json={"vendor_api_key": key, "email": "o@example.com"}
    ).json()["user_api_key"]
    ids = []
    for name, bid in (("Yksi Oy", "7654321-2"), ("Kaksi Oy", "2002000-9")):
        fields = {
            "vendor_api_key": key,
            "user_api_key": user,
            "name": name,
            "bid": bid,
            "no_vat": "true",
            "address1": "Katu 1",
            "post_code": "00100",
            "post_office": "Helsinki",
            "city": "Helsinki",
            "country": "FI",
            "email": "info@example.com",
        }
        multipart = {k: (None, v) for k, v in fields.items()}
        ids.append(ax_call(sandbox, "POST", "/v1/companies", None, files=multipart).json()["id"])
    token = company_token(sandbox, {"company_id": ids[0], "api_key": user, "vendor_api_key": key})
    return token, ids


def test_bulk_sign_request_covers_every_listed_company(sandbox, two_companies_of_one_user):
    token, company_ids = two_companies_of_one_user
    body = {**SIGN, "company_ids": company_ids, "locale": "EN"}

    response = ax_call(sandbox, "POST", "/v1/companies/authorizations", token, json=body)

    assert response.status_code == HTTPStatus.ACCEPTED
    assert response.json() == {"status": "sent", "count": 2}
    for company_id in company_ids:
        assert sandbox.company(company_id)["auth_state"] == "SENT"


def test_bulk_sign_request_refuses_a_company_of_another_user_as_bad_input(
    sandbox, two_companies_of_one_user, unverified
):
    # The operation documents 400 as its error; the schema has no 403 here (FIELDS.md section 0).
    token, company_ids = two_companies_of_one_user
    body = {**SIGN, "company_ids": [*company_ids, unverified["company_id"]]}

    response = ax_call(sandbox, "POST", "/v1/companies/authorizations", token, json=body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "code": "invalid_parameters",
        "message": "Invalid parameters",
        "details": [f"company_ids: {unverified['company_id']} not found or no access"],
    }
    assert sandbox.company(company_ids[0])["auth_state"] == "NONE"


@pytest.mark.parametrize("company_ids", [[], ["nope"], "7654321-2"])
def test_bulk_sign_request_needs_company_ids(sandbox, token, company_ids):
    body = {**SIGN, "company_ids": company_ids}

    response = ax_call(sandbox, "POST", "/v1/companies/authorizations", token, json=body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
