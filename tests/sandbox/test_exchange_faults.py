"""Faults reach the exchange endpoints as every other: scripts, ``paths`` limits, the Validator,
and a hang after which the send was made all the same (the lost answer a uuid finds again)."""

from __future__ import annotations

import time
import uuid
from http import HTTPStatus

import pytest
import requests

from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.exchange_helpers import INVOICES, exchange_token, sample, send_invoice

pytestmark = pytest.mark.sandbox


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


def test_script_answers_for_the_invoice_endpoints(sandbox, token):
    sandbox.script(
        {"method": "POST", "path": "/v1/invoices", "status": 503, "times": 1},
        {"path": "/v1/invoices/*", "status": 429, "retry_after": 3},
    )

    refused = send_invoice(sandbox, token)
    accepted = send_invoice(sandbox, token)
    limited = ax_call(sandbox, "GET", f"{INVOICES}/{accepted.json()['id']}", token)

    assert refused.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert accepted.status_code == HTTPStatus.CREATED
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert limited.headers["Retry-After"] == "3"
    sent = ax_call(sandbox, "GET", INVOICES, token, params={"direction": "SENT"}).json()
    assert len(sent) == 1  # the refused send made nothing


def test_paths_limit_random_faults_to_the_exchange_chosen(sandbox, token, company):
    sandbox.set_faults(error_rate=1.0, error_statuses=[502], paths=["/v1/documents"])
    plain = company_token(sandbox, company)

    documents = ax_call(sandbox, "GET", "/v1/documents", plain)
    invoices = ax_call(sandbox, "GET", INVOICES, token)

    assert documents.status_code == HTTPStatus.BAD_GATEWAY
    assert invoices.status_code == HTTPStatus.OK


def test_a_hung_send_was_made_and_is_found_by_its_uuid(sandbox, token):
    # The client gives up on the answer; the sandbox still makes the send once it has waited.
    sandbox.script({"method": "POST", "path": "/v1/invoices", "hang_seconds": 0.5})
    own = str(uuid.uuid4())

    with pytest.raises(requests.ReadTimeout):
        requests.post(
            f"{sandbox.ax_url}{INVOICES}",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("invoice.xml", sample("finvoice30-simple.xml"))},
            data={"uuid": own},
            timeout=0.2,
        )

    assert found_within(sandbox, token, own, seconds=5)["id"] == own


def found_within(sandbox, token, invoice_id: str, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        response = ax_call(sandbox, "GET", f"{INVOICES}/{invoice_id}", token)
        if response.status_code == HTTPStatus.OK or time.monotonic() > deadline:
            assert response.status_code == HTTPStatus.OK, response.text
            return response.json()
        time.sleep(0.05)


def test_validator_api_is_faulted_on_its_own(sandbox, company):
    sandbox.script({"api": "validator", "path": "/v1/validate", "status": 500})
    headers = {"Authorization": f"Bearer {company_token(sandbox, company, scope='validate')}"}

    response = requests.post(
        f"{sandbox.validator_url}/v1/validate",
        files={"file": ("x.xml", b"<Letter/>")},
        headers=headers,
        timeout=10,
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert sandbox.stats()["requests"]["POST /validator/v1/validate"] == 1
