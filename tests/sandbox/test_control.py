"""The control API: counters, reset and accounts."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from tests.sandbox.conftest import ax_get, fetch_token

pytestmark = pytest.mark.sandbox


def test_stats_count_every_request_including_faulted_and_unknown(sandbox, token):
    sandbox.reset()
    sandbox.script({"path": "/v1/company/authorization", "status": 503})
    ax_get(sandbox, "/v1/company/authorization", token)
    ax_get(sandbox, "/v1/company/authorization", token)
    ax_get(sandbox, "/v1/nothing", token)

    assert sandbox.stats()["requests"] == {
        "GET /ax/v1/company/authorization": 2,
        "GET /ax/v1/nothing": 1,
    }


def test_token_requests_count_refusals_and_tokens_issued_only_successes(sandbox, company):
    sandbox.script({"path": "/oauth2/token", "status": 503})
    good = {"client_id": company["company_id"], "client_secret": company["api_key"]}

    fetch_token(sandbox, **good)
    fetch_token(sandbox, **{**good, "client_secret": "wrong"})
    fetch_token(sandbox, **good)

    stats = sandbox.stats()
    assert stats["token_requests"] == 3
    assert stats["tokens_issued"] == 1
    assert stats["requests"]["POST /ax/oauth2/token"] == 3


def test_reset_clears_counters_and_faults_but_keeps_accounts(sandbox, company, token):
    sandbox.set_faults(error_rate=1.0, paths=["/v1/users"])
    ax_get(sandbox, "/v1/company/authorization", token)

    sandbox.reset()

    assert sandbox.stats() == {"tokens_issued": 0, "token_requests": 0, "requests": {}}
    assert sandbox.faults()["error_rate"] == 0.0
    assert ax_get(sandbox, "/v1/company/authorization", token).status_code == HTTPStatus.OK


def test_company_account_can_start_unverified(sandbox, company):
    created = sandbox.create_company(
        name="Odottava Oy", bid="7654321-2", country="FI", company_state="UNVERIFIED"
    )
    token = fetch_token(
        sandbox, client_id=created["company_id"], client_secret=created["api_key"]
    ).json()["access_token"]

    assert (
        ax_get(sandbox, "/v1/company/authorization", token).json()["company_state"] == "UNVERIFIED"
    )


def test_company_account_with_a_known_bid_conflicts(sandbox, company):
    response = requests.post(
        f"{sandbox.control_url}/accounts",
        json={"kind": "company", "name": "Kopio Oy", "bid": "1234567-1", "country": "FI"},
        timeout=5,
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "company_bid_conflict"


def test_vendor_account_is_accepted_as_vendor_api_key(sandbox):
    sandbox.create_vendor(api_key="second-vendor-key", name="Second partner")

    response = requests.post(
        f"{sandbox.ax_url}/v1/users",
        json={"vendor_api_key": "second-vendor-key", "email": "v@example.com"},
        timeout=5,
    )

    assert response.status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "robot"},
        {"kind": "company", "name": "X Oy"},
        {"kind": "company", "name": "X Oy", "bid": "1", "country": "US"},
        {"kind": "operator", "operator_id": "op"},
    ],
)
def test_bad_account_requests_are_refused(sandbox, body):
    response = requests.post(f"{sandbox.control_url}/accounts", json=body, timeout=5)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_lifecycle_is_replaced_whole_and_reset_to_defaults(sandbox):
    defaults = {
        "profile_activation_seconds": 2.0,
        "kyc_seconds": 5.0,
        "bank_activation_seconds": 10.0,
    }
    assert sandbox.lifecycle() == defaults

    assert sandbox.set_lifecycle(kyc_seconds=None) == {**defaults, "kyc_seconds": None}
    assert sandbox.set_lifecycle(bank_activation_seconds=1)["kyc_seconds"] == 5.0

    sandbox.reset()
    assert sandbox.lifecycle() == defaults


@pytest.mark.parametrize(
    "body",
    [{"kyc_seconds": -1}, {"profile_activation_seconds": None}, {"speed": 2}, [1]],
)
def test_bad_lifecycle_is_refused(sandbox, body):
    response = requests.put(f"{sandbox.control_url}/lifecycle", json=body, timeout=5)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_company_account_without_state_follows_the_kyc_clock(sandbox):
    created = sandbox.create_company(
        name="Odottava Oy", bid="7654321-2", country="FI", company_state=None
    )

    state = sandbox.company(created["company_id"])
    assert state["company_state"] == "UNVERIFIED"
    assert state["verify_at"] is not None


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("companies/{company}", {"company_state": "VERIFYING"}),
        ("companies/{company}", {"agreement_networks": ["PEPPOL"]}),
        ("companies/{company}", {"colour": "red"}),
        ("profiles/{profile}", {"status": "ACTIVE"}),
        ("profiles/{profile}", {"status": "error", "message": 5}),
    ],
)
def test_bad_state_changes_are_refused(sandbox, company, token, path, body):
    profile = requests.post(
        f"{sandbox.ax_url}/v1/company/profiles",
        headers={"Authorization": f"Bearer {token}"},
        json={"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
        timeout=5,
    ).json()
    url = f"{sandbox.control_url}/{path}".format(
        company=company["company_id"], profile=profile["id"]
    )

    assert requests.post(url, json=body, timeout=5).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    "path", ["companies/{unknown}", "companies/{unknown}/profiles", "profiles/{unknown}"]
)
def test_state_of_unknown_rows_is_not_found(sandbox, path):
    url = f"{sandbox.control_url}/{path}".format(unknown="00000000-0000-0000-0000-000000000000")

    method = "GET" if path.startswith("companies") else "POST"
    response = requests.request(method, url, json={"status": "active"}, timeout=5)

    assert response.status_code == HTTPStatus.NOT_FOUND
