"""The bearer check every AX endpoint shares: 401 for no valid token, 403 for no access."""

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


def test_valid_token_reads_its_company(sandbox, company, token):
    response = ax_get(sandbox, "/v1/company", token)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": company["company_id"],
        "name": "Testi Oy",
        "bid": "1234567-1",
        "country": "FI",
        "company_state": "VERIFIED",
        "vat": "FI12345671",
        "eia": "003712345671",
    }


@pytest.mark.parametrize("token", [None, "garbage", "Zm9v.YmFy:c2ln:bm9wZQ"])
def test_missing_or_unknown_token_is_unauthorized(sandbox, token):
    response = ax_get(sandbox, "/v1/company", token)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


def test_expired_tokens_are_unauthorized(sandbox, token):
    sandbox.expire_tokens()

    response = ax_get(sandbox, "/v1/company", token)

    assert response.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.slow  # waits out a one-second lifetime: the sandbox's clock is real
def test_token_stops_working_after_its_ttl(sandbox, company):
    sandbox.set_faults(token_ttl=1)
    token = company_token(sandbox, company)
    assert ax_get(sandbox, "/v1/company", token).status_code == HTTPStatus.OK

    time.sleep(1.1)

    assert ax_get(sandbox, "/v1/company", token).status_code == HTTPStatus.UNAUTHORIZED


def test_token_without_the_scope_is_forbidden(sandbox, company):
    token = company_token(sandbox, company, scope="lookup")

    response = ax_get(sandbox, "/v1/company", token)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {
        "code": "forbidden",
        "message": "The token has no access to /v1/company",
    }


def test_write_scope_alone_does_not_read(sandbox, company):
    token = company_token(sandbox, company, scope="company:write")

    assert ax_get(sandbox, "/v1/company", token).status_code == HTTPStatus.FORBIDDEN


def test_alias_scope_covers_its_members(sandbox, company):
    token = company_token(sandbox, company, scope="eui")

    assert ax_get(sandbox, "/v1/company", token).status_code == HTTPStatus.OK


def test_operator_token_is_forbidden_on_company_endpoints(sandbox, settings):
    response = ax_get(sandbox, "/v1/company", _operator_token(sandbox, settings))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_current_names_user_company_and_scopes(sandbox, company, token):
    response = ax_get(sandbox, "/oauth2/current", token)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["company"]["id"] == company["company_id"]
    assert body["company"]["bid"] == "1234567-1"
    assert body["company"]["country"] == "FI"
    assert body["user"]["id"]
    assert body["scopes"] == ["global", "company"]


def test_current_for_an_operator_has_no_company(sandbox, settings):
    response = ax_get(sandbox, "/oauth2/current", _operator_token(sandbox, settings))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["company"] is None
    assert response.json()["user"]["id"] == settings.MAVENTA_OPERATOR_ID


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


def test_company_status_of_another_company_is_forbidden(sandbox, token):
    other = sandbox.create_company(name="Muu Oy", bid="7654321-2", country="FI")

    response = ax_get(sandbox, f"/v1/companies/{other['company_id']}/status", token)

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_company_status_of_own_company(sandbox, company, token):
    response = ax_get(sandbox, f"/v1/companies/{company['company_id']}/status", token)

    assert response.json() == {"auth_state": "NONE", "auth_email": "", "company_state": "VERIFIED"}
