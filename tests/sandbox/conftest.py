"""Helpers for tests of the sandbox itself; they speak HTTP with ``requests`` only."""

from __future__ import annotations

import pytest
import requests

from maventa_portal.sandbox.control_client import SandboxControl

FORM = {"grant_type": "client_credentials"}


def fetch_token(sandbox: SandboxControl, **form: str) -> requests.Response:
    return requests.post(f"{sandbox.ax_url}/oauth2/token", data={**FORM, **form}, timeout=10)


def company_token(sandbox: SandboxControl, company: dict, scope: str | None = None) -> str:
    form = {
        "client_id": company["company_id"],
        "client_secret": company["api_key"],
        "vendor_api_key": company["vendor_api_key"],
    }
    if scope is not None:
        form["scope"] = scope
    response = fetch_token(sandbox, **form)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def ax_get(sandbox: SandboxControl, path: str, token: str | None, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{sandbox.ax_url}{path}", headers=headers, timeout=10, **kwargs)


def ax_call(
    sandbox: SandboxControl, method: str, path: str, token: str | None, **kwargs
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(
        method, f"{sandbox.ax_url}{path}", headers=headers, timeout=10, **kwargs
    )


@pytest.fixture
def company(sandbox) -> dict:
    return sandbox.create_company(name="Testi Oy", bid="1234567-1", country="FI")


@pytest.fixture
def token(sandbox, company) -> str:
    return company_token(sandbox, company)
