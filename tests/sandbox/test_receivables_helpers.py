"""Helpers for the Receivables tests (no tests here): HTTP with ``requests`` against the sandbox."""

from __future__ import annotations

import time

import requests

from maventa_portal.sandbox.control_client import SandboxControl
from tests.sandbox.conftest import company_token

SCOPE = "receivables:assignments"
SETTINGS = {
    "iban": "FI21 1234 5600 0007 85",
    "bic": "NDEAFIHH",
    "bank": "Nordea",
    "contact_person": "Maija Meikäläinen",
    "contact_email": "maija@example.com",
    "customer_service_email": "asiakaspalvelu@example.com",
    "customer_service_phone_number": "+358401234567",
    "contact_phone_number": "+358407654321",
    "authorization_email": "johto@example.com",
    "accountable_party": "vfsfi",
    "billing_address": {
        "country": "FI",
        "streets": ["Testikatu 1 A", "PL 12"],
        "city": "Helsinki",
        "zip_code": "00100",
    },
}


def receivables_token(sandbox: SandboxControl, company: dict) -> str:
    return company_token(sandbox, company, scope=SCOPE)


def call(
    sandbox: SandboxControl, method: str, path: str, token: str, **kwargs
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{sandbox.receivables_url}{path}"
    return requests.request(method, url, headers=headers, timeout=10, **kwargs)


def ok(response: requests.Response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def activate(sandbox: SandboxControl, token: str) -> dict:
    return ok(call(sandbox, "PUT", "/v1/services/receivables", token, json=SETTINGS))


def poll(check, deadline_seconds: float = 15.0):
    """``check()`` until it returns something true, or fails at the deadline."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)
