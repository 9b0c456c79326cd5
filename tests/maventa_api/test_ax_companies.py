"""Company calls offline: the KYC sign requests with and without the partner's KYC proof, and
the current session read from /oauth2/current (the schema has no GET /v1/company)."""

from __future__ import annotations

import json

import pytest

from maventa_portal.maventa_api.ax import companies
from tests.maventa_api.offline import CURRENT_URL, OFFLINE_BASE, TOKEN_URL, token_answer

SIGN_URL = f"{OFFLINE_BASE}/ax/v1/company/authorization"
BULK_URL = f"{OFFLINE_BASE}/ax/v1/companies/authorizations"
PROOF = '{"provider": "own"}'


@pytest.mark.parametrize(
    ("options", "sent"),
    [
        ("", {"auth_email": "s@example.com", "locale": "FI"}),
        (PROOF, {"auth_email": "s@example.com", "locale": "FI", "options": PROOF}),
    ],
)
def test_sign_request_sends_the_kyc_proof_only_when_given(http_mock, offline_api, options, sent):
    http_mock.post(TOKEN_URL, json=token_answer())
    http_mock.post(SIGN_URL, json={"status": "sent"})

    status = companies.request_authorization(
        offline_api, auth_email="s@example.com", locale="FI", options=options
    )

    assert status == "sent"
    assert json.loads(http_mock.calls[1].request.body) == sent


def test_bulk_sign_request_sends_the_companies_and_the_proof(http_mock, offline_api):
    http_mock.post(TOKEN_URL, json=token_answer())
    http_mock.post(BULK_URL, status=202, json={"status": "sent", "count": 2})

    result = companies.request_authorizations(
        offline_api, auth_email="s@example.com", company_ids=["a", "b"], locale="EN", options=PROOF
    )

    assert result == companies.AuthorizationResult(status="sent", count=2)
    assert json.loads(http_mock.calls[1].request.body) == {
        "auth_email": "s@example.com",
        "locale": "EN",
        "options": PROOF,
        "company_ids": ["a", "b"],
    }


def test_current_session_names_the_tokens_company(http_mock, offline_api):
    http_mock.post(TOKEN_URL, json=token_answer())
    http_mock.get(
        CURRENT_URL,
        json={
            "user": {"id": "u-1"},
            "company": {"id": "c-1", "bid": "1234567-1", "name": "Oy", "country": "FI"},
            "scopes": ["global", "company"],
        },
    )

    session = companies.current(offline_api)

    assert session.company == companies.CompanyParty(
        id="c-1", bid="1234567-1", name="Oy", country="FI"
    )
    assert session.scopes == ("global", "company")
    assert not hasattr(companies, "get_company")
