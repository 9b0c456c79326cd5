"""Credentials and ids for the contract tests: a verified company with one registration, and an
operator, made through the sandbox's control API; tokens fetched as any client would."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests

OPERATOR_ID, OPERATOR_SECRET = "contract-operator", "contract-operator-secret"


@dataclass(frozen=True)
class Keys:
    company: dict  # the control API's {company_id, api_key, vendor_api_key}
    company_id: str
    company_token: str
    operator_token: str
    profile_id: str

    def bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def fetch_token(ax_url: str, client_id: str, secret: str, vendor_api_key: str = "") -> str:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if vendor_api_key:
        form["vendor_api_key"] = vendor_api_key
    response = requests.post(f"{ax_url}/oauth2/token", data=form, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture
def contract_keys(sandbox) -> Keys:
    company = sandbox.create_company(name="Contract Oy", bid="2660421-6", country="FI")
    sandbox.create_operator(operator_id=OPERATOR_ID, secret=OPERATOR_SECRET)
    company_token = fetch_token(
        sandbox.ax_url, company["company_id"], company["api_key"], company["vendor_api_key"]
    )
    profile = requests.post(
        f"{sandbox.ax_url}/v1/company/profiles",
        json={"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
        headers={"Authorization": f"Bearer {company_token}"},
        timeout=10,
    )
    assert profile.status_code == 201, profile.text
    return Keys(
        company=company,
        company_id=company["company_id"],
        company_token=company_token,
        operator_token=fetch_token(sandbox.ax_url, OPERATOR_ID, OPERATOR_SECRET),
        profile_id=profile.json()["id"],
    )
