"""POST /oauth2/token: who gets a token, with which scopes, and what a refusal says."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from tests.sandbox.conftest import fetch_token

pytestmark = pytest.mark.sandbox


def test_company_credentials_get_a_bearer_token_with_default_scopes(sandbox, company):
    response = fetch_token(
        sandbox,
        client_id=company["company_id"],
        client_secret=company["api_key"],
        vendor_api_key=company["vendor_api_key"],
    )

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["token_type"] == "Bearer"  # noqa: S105 - a token type, not a secret
    assert body["expires_in"] == 3600
    assert body["scope"] == "global company"
    assert len(body["access_token"]) > 40


def test_vendor_key_may_be_left_out(sandbox, company):
    response = fetch_token(
        sandbox, client_id=company["company_id"], client_secret=company["api_key"]
    )

    assert response.status_code == HTTPStatus.OK


def test_tokens_differ_in_length(sandbox, company):
    form = {"client_id": company["company_id"], "client_secret": company["api_key"]}

    lengths = {len(fetch_token(sandbox, **form).json()["access_token"]) for _ in range(8)}

    assert len(lengths) > 1


def test_requested_scopes_are_granted_as_asked(sandbox, company):
    response = fetch_token(
        sandbox,
        client_id=company["company_id"],
        client_secret=company["api_key"],
        scope="eui analysis",
    )

    assert response.json()["scope"] == "eui analysis"


def test_settings_operator_gets_every_operator_scope(sandbox, settings):
    response = fetch_token(
        sandbox,
        client_id=settings.MAVENTA_OPERATOR_ID,
        client_secret=settings.MAVENTA_OPERATOR_SECRET,
    )

    assert response.status_code == HTTPStatus.OK
    scopes = response.json()["scope"].split()
    assert "operator:companies" in scopes
    assert all(scope.startswith("operator:") for scope in scopes)


def test_operator_created_through_control_gets_a_token(sandbox):
    credentials = {"client_id": "op-2", "client_secret": "op-2-secret"}
    sandbox.create_operator(operator_id="op-2", secret=credentials["client_secret"])

    response = fetch_token(sandbox, **credentials, scope="operator:lookup")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["scope"] == "operator:lookup"


@pytest.mark.parametrize(
    "form",
    [
        {"client_secret": "wrong-secret-value-123"},
        {"client_id": "00000000-0000-0000-0000-000000000000"},
        {"vendor_api_key": "unknown-vendor-key-456"},
        {"client_id": "not-a-uuid"},
    ],
)
def test_wrong_credentials_are_refused_without_echoing_them(sandbox, company, caplog, form):
    submitted = {
        "client_id": company["company_id"],
        "client_secret": company["api_key"],
        "vendor_api_key": company["vendor_api_key"],
        **form,
    }

    response = fetch_token(sandbox, **submitted)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"code": "invalid_client", "message": "Client authentication failed"}
    for secret in (submitted["client_secret"], submitted["vendor_api_key"]):
        assert secret not in response.text
        assert secret not in str(response.headers)
        assert secret not in caplog.text
    assert sandbox.stats()["tokens_issued"] == 0


def test_operator_with_wrong_secret_is_refused(sandbox, settings):
    guessed = {"client_id": settings.MAVENTA_OPERATOR_ID, "client_secret": "guessed-secret"}

    response = fetch_token(sandbox, **guessed)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "guessed-secret" not in response.text


def test_other_grant_types_are_unsupported(sandbox, company):
    response = fetch_token(
        sandbox,
        grant_type="password",
        client_id=company["company_id"],
        client_secret=company["api_key"],
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "unsupported_grant_type"


def test_unknown_scope_is_invalid(sandbox, company):
    response = fetch_token(
        sandbox,
        client_id=company["company_id"],
        client_secret=company["api_key"],
        scope="company everything",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_scope"
    assert "everything" in response.json()["message"]


def test_company_cannot_ask_for_operator_scopes(sandbox, company):
    response = fetch_token(
        sandbox,
        client_id=company["company_id"],
        client_secret=company["api_key"],
        scope="operator:companies",
    )

    assert response.json()["code"] == "invalid_scope"


def test_json_body_is_refused(sandbox, company):
    response = requests.post(
        f"{sandbox.ax_url}/oauth2/token",
        json={
            "grant_type": "client_credentials",
            "client_id": company["company_id"],
            "client_secret": company["api_key"],
        },
        timeout=10,
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert company["api_key"] not in response.text


def test_token_ttl_follows_the_switchboard(sandbox, company):
    sandbox.set_faults(token_ttl=5)

    response = fetch_token(
        sandbox, client_id=company["company_id"], client_secret=company["api_key"]
    )

    assert response.json()["expires_in"] == 5
