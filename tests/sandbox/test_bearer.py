"""The bearer check every AX endpoint shares: 401 for no valid token and for a token short of
scope (Maventa's generic errors have no 403: FIELDS.md section 0)."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_get, company_token, fetch_token

pytestmark = pytest.mark.sandbox


def _operator_token(sandbox, settings) -> str:
    response = fetch_token(
        sandbox,
        client_id=settings.MAVENTA_OPERATOR_ID,
        client_secret=settings.MAVENTA_OPERATOR_SECRET,
    )
    return response.json()["access_token"]


STATE = "/v1/company/authorization"


def test_valid_token_reads_its_company_state(sandbox, token):
    response = ax_get(sandbox, STATE, token)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"auth_state": "NONE", "auth_email": "", "company_state": "VERIFIED"}


@pytest.mark.parametrize("token", [None, "garbage", "Zm9v.YmFy:c2ln:bm9wZQ"])
def test_missing_or_unknown_token_is_unauthorized(sandbox, token):
    response = ax_get(sandbox, STATE, token)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


def test_expired_tokens_are_unauthorized(sandbox, token):
    sandbox.expire_tokens()

    response = ax_get(sandbox, STATE, token)

    assert response.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.slow  # waits out a one-second lifetime: the sandbox's clock is real
def test_token_stops_working_after_its_ttl(sandbox, company):
    sandbox.set_faults(token_ttl=1)
    token = company_token(sandbox, company)
    assert ax_get(sandbox, STATE, token).status_code == HTTPStatus.OK

    time.sleep(1.1)

    assert ax_get(sandbox, STATE, token).status_code == HTTPStatus.UNAUTHORIZED


def test_token_without_the_scope_is_unauthorized_naming_the_scope(sandbox, company):
    token = company_token(sandbox, company, scope="lookup")

    response = ax_get(sandbox, "/v1/company/profiles", token)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "code": "insufficient_scope",
        "message": "The token's scope does not cover GET /v1/company/profiles (needs company:read)",
    }
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="insufficient_scope", scope="company:read"'
    )


def test_write_scope_alone_does_not_read(sandbox, company):
    token = company_token(sandbox, company, scope="company:write")

    response = ax_get(sandbox, STATE, token)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "insufficient_scope"


def test_alias_scope_covers_its_members(sandbox, company):
    token = company_token(sandbox, company, scope="eui")

    assert ax_get(sandbox, STATE, token).status_code == HTTPStatus.OK


def test_operator_token_is_unauthorized_on_company_endpoints(sandbox, settings):
    response = ax_get(sandbox, STATE, _operator_token(sandbox, settings))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "code": "insufficient_scope",
        "message": f"This operator token has no access to {STATE}",
    }


def test_current_names_user_company_and_scopes(sandbox, company, token):
    response = ax_get(sandbox, "/oauth2/current", token)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["company"]["id"] == company["company_id"]
    assert body["company"]["bid"] == "1234567-1"
    assert body["company"]["country"] == "FI"
    assert body["user"]["id"]
    assert body["scopes"] == ["global", "company"]


def test_current_for_an_operator_names_the_operator_as_its_party(sandbox, settings):
    # The schema requires company (an object with id); an operator speaks for itself.
    response = ax_get(sandbox, "/oauth2/current", _operator_token(sandbox, settings))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["company"] == {"id": settings.MAVENTA_OPERATOR_ID}
    assert response.json()["user"] == {"id": settings.MAVENTA_OPERATOR_ID}


@pytest.mark.parametrize("who", ["company", "operator"])
def test_status_authenticated_answers_any_valid_token(sandbox, settings, company, who):
    token = (
        company_token(sandbox, company) if who == "company" else _operator_token(sandbox, settings)
    )

    response = ax_get(sandbox, "/status/authenticated", token)

    assert response.status_code == HTTPStatus.OK
    expected = company["company_id"] if who == "company" else settings.MAVENTA_OPERATOR_ID
    assert response.json()["client_id"] == expected
    assert response.json()["expires_at"].endswith("Z")


def test_company_status_of_another_company_is_not_found_as_an_unknown_one(sandbox, token):
    other = sandbox.create_company(name="Muu Oy", bid="7654321-2", country="FI")
    unknown = "0b6f1a3c-0000-4000-8000-000000000099"

    responses = {
        company_id: ax_get(sandbox, f"/v1/companies/{company_id}/status", token)
        for company_id in (other["company_id"], unknown)
    }

    for company_id, response in responses.items():
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == {
            "code": "not_found",
            "message": f"Company {company_id} not found or no access",
        }


def test_company_status_of_own_company(sandbox, company, token):
    response = ax_get(sandbox, f"/v1/companies/{company['company_id']}/status", token)

    assert response.json() == {"auth_state": "NONE", "auth_email": "", "company_state": "VERIFIED"}
