"""Detect: checks run on received invoices, their deterministic results, their definitions."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from tests.sandbox.conftest import ax_call
from tests.sandbox.exchange_helpers import (
    INVOICES,
    exchange_token,
    receiving_company,
    sample,
    sent,
)

pytestmark = pytest.mark.sandbox

CHECKS = ["SUPPLIER_ACTIVATION", "BANK_ACCOUNT_CHANGED", "SENDER_BID_STATUS",
          "SENDER_WARNING_LIST", "VAT"]  # fmt: skip
FINVOICE = sample("finvoice30-simple.xml")
IBAN = b"FI1115723500123456"
OTHER_IBAN = b"FI9265432100532751"


@pytest.fixture
def buyer(sandbox) -> dict:
    """The Finvoice sample's buyer, a sandbox company receiving invoices."""
    return receiving_company(sandbox, "As Oy Koivukuja 5", "1060155-5")


@pytest.fixture
def buyer_token(sandbox, buyer) -> str:
    return exchange_token(sandbox, buyer)


@pytest.fixture
def send_to_buyer(sandbox, company, buyer, buyer_token):
    """Sends a file from the ``company`` fixture to the buyer; answers the buyer's copy."""
    token = exchange_token(sandbox, company)

    def send(content: bytes = FINVOICE) -> dict:
        created = sent(sandbox, token, content, recipient_eia="0037:003710601555")
        sandbox.tick()
        received = ax_call(sandbox, "GET", INVOICES, buyer_token, params={"sort[]": "-received_at"})
        copy = received.json()[0]
        assert copy["number"] == created["number"]
        return copy

    return send


def run(sandbox, token, invoice_id: str, checks=CHECKS):
    params = {"resource_id": invoice_id, "resource_type": "INVOICE", "checks_to_run[]": checks}
    return ax_call(sandbox, "POST", "/v1/analysis", token, params=params)


def results(sandbox, token, invoice_id: str) -> dict[str, dict]:
    response = ax_call(sandbox, "GET", f"/v1/analysis/{invoice_id}", token)
    assert response.status_code == HTTPStatus.OK, response.text
    return {a["analysis_type"]: a for a in response.json()}


def outcome(analysis: dict) -> tuple[str, str, str]:
    result = analysis["analysis_result"]
    return analysis["analysis_status"], result.get("status", ""), result["reason_code"]


def test_run_answers_pending_then_results(sandbox, buyer_token, send_to_buyer):
    invoice = send_to_buyer()

    started = run(sandbox, buyer_token, invoice["id"])
    found = results(sandbox, buyer_token, invoice["id"])

    assert started.status_code == HTTPStatus.CREATED
    assert [a["analysis_status"] for a in started.json()] == ["PENDING"] * 5
    assert started.json()[0]["analysis_result"]["reason_code"] == "SUPPLIER_ACTIVATION_PENDING"
    assert {name: outcome(a) for name, a in found.items()} == {
        "SUPPLIER_ACTIVATION": (
            "NOT_APPLICABLE",
            "NOT_APPLICABLE",
            "SUPPLIER_ACTIVATION_INVOICE_NOT_FROM_SCAN",
        ),
        "BANK_ACCOUNT_CHANGED": ("RUN_SUCCESSFUL", "WARNING", "BANK_ACCOUNT_CHANGED_UNKNOWN"),
        "SENDER_BID_STATUS": (
            "RUN_SUCCESSFUL",
            "OK",
            "SENDER_BID_STATUS_PREPAYMENT_REGISTER_FOUND",
        ),
        "SENDER_WARNING_LIST": ("RUN_SUCCESSFUL", "OK", "SENDER_WARNING_LIST_NOT_FOUND"),
        "VAT": ("RUN_SUCCESSFUL", "OK", "VAT_COMPANY_REGISTERED"),
    }
    assert found["VAT"]["analysis_origin"] == "INTERNAL"
    assert "FI23456780" in found["VAT"]["analysis_result"]["text"]


def test_pending_for_the_analysis_time(sandbox, buyer_token, send_to_buyer):
    sandbox.set_exchange(analysis_seconds=3600)
    invoice = send_to_buyer()
    run(sandbox, buyer_token, invoice["id"], ["VAT"])

    found = results(sandbox, buyer_token, invoice["id"])

    assert found["VAT"]["analysis_status"] == "PENDING"
    assert "status" not in found["VAT"]["analysis_result"]


def test_bank_account_known_then_changed(sandbox, buyer_token, send_to_buyer):
    send_to_buyer()
    same = send_to_buyer()
    changed = send_to_buyer(FINVOICE.replace(IBAN, OTHER_IBAN))

    for invoice in (same, changed):
        run(sandbox, buyer_token, invoice["id"], ["BANK_ACCOUNT_CHANGED"])

    kept = results(sandbox, buyer_token, same["id"])["BANK_ACCOUNT_CHANGED"]
    moved = results(sandbox, buyer_token, changed["id"])["BANK_ACCOUNT_CHANGED"]
    assert outcome(kept)[1:] == ("OK", "BANK_ACCOUNT_CHANGED_NOT_CHANGED")
    assert outcome(moved)[1:] == ("WARNING", "BANK_ACCOUNT_CHANGED_CHANGED")
    assert moved["analysis_result"]["data"] == {
        "bank_account": OTHER_IBAN.decode(),
        "previous_bank_accounts": [IBAN.decode()],
    }


def test_a_reported_sender_is_on_the_warning_list(sandbox, buyer_token, send_to_buyer):
    invoice = send_to_buyer()
    report = {"reason": ["UNKNOWN_COMPANY"], "contact_email": "fraud@example.com"}
    ax_call(sandbox, "POST", f"{INVOICES}/{invoice['id']}/reports", buyer_token, json=report)

    run(sandbox, buyer_token, invoice["id"], ["SENDER_WARNING_LIST"])

    found = results(sandbox, buyer_token, invoice["id"])["SENDER_WARNING_LIST"]
    assert outcome(found)[1:] == ("WARNING", "SENDER_WARNING_LIST_USER_REPORTED_FOUND")


def test_foreign_sender_and_zero_vat(sandbox, buyer_token, send_to_buyer):
    invoice = send_to_buyer(sample("peppol/vat-category-Z.xml"))

    run(sandbox, buyer_token, invoice["id"], ["SENDER_BID_STATUS", "VAT"])

    found = results(sandbox, buyer_token, invoice["id"])
    assert outcome(found["SENDER_BID_STATUS"])[2] == "SENDER_BID_STATUS_COUNTRY_NOT_SUPPORTED"
    assert outcome(found["VAT"]) == ("NOT_APPLICABLE", "NOT_APPLICABLE", "VAT_NO_VAT_CHARGED")


def test_invalid_finnish_business_id(sandbox, buyer_token, send_to_buyer):
    invoice = send_to_buyer(FINVOICE.replace(b"2345678-0", b"2345678-1"))

    run(sandbox, buyer_token, invoice["id"], ["SENDER_BID_STATUS"])

    found = results(sandbox, buyer_token, invoice["id"])["SENDER_BID_STATUS"]
    assert outcome(found)[1:] == ("WARNING", "SENDER_BID_STATUS_INVALID_BID")


def test_latest_run_of_each_check_and_lookup_by_analysis_id(sandbox, buyer_token, send_to_buyer):
    invoice = send_to_buyer()
    run(sandbox, buyer_token, invoice["id"], ["VAT"])
    second = run(sandbox, buyer_token, invoice["id"], ["VAT"]).json()[0]

    by_invoice = results(sandbox, buyer_token, invoice["id"])
    by_id = ax_call(sandbox, "GET", f"/v1/analysis/{second['analysis_id']}", buyer_token)

    assert by_invoice["VAT"]["analysis_id"] == second["analysis_id"]
    assert [a["analysis_id"] for a in by_id.json()] == [second["analysis_id"]]


def test_an_invoice_never_analysed_has_no_results(sandbox, buyer_token, send_to_buyer):
    invoice = send_to_buyer()

    assert results(sandbox, buyer_token, invoice["id"]) == {}


@pytest.mark.parametrize(
    "params",
    [
        {"resource_type": "INVOICE", "checks_to_run[]": "VAT"},
        {"resource_id": "x", "checks_to_run[]": "VAT"},
        {"resource_id": "x", "resource_type": "ORDER", "checks_to_run[]": "VAT"},
        {"resource_id": "x", "resource_type": "INVOICE"},
        {"resource_id": "x", "resource_type": "INVOICE", "checks_to_run[]": "CREDIT_SCORE"},
    ],
)
def test_bad_runs_are_refused(sandbox, buyer_token, params):
    response = ax_call(sandbox, "POST", "/v1/analysis", buyer_token, params=params)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_unknown_or_foreign_invoices_are_not_found(sandbox, company, buyer_token, send_to_buyer):
    invoice = send_to_buyer()
    stranger = exchange_token(sandbox, company)  # the sender: the copy is not its invoice

    assert run(sandbox, stranger, invoice["id"]).status_code == HTTPStatus.NOT_FOUND
    for resource in (invoice["id"], "00000000-0000-0000-0000-000000000000", "nope"):
        response = ax_call(sandbox, "GET", f"/v1/analysis/{resource}", stranger)
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_definitions_need_no_token(sandbox):
    response = requests.get(f"{sandbox.ax_url}/v1/analysis/definitions", timeout=10)

    body = response.json()
    assert [c["name"] for c in body["checks"]] == CHECKS
    results_of_vat = {r["reason_code"] for r in body["checks"][4]["possible_results"]}
    assert {"VAT_COMPANY_REGISTERED", "VAT_NO_VAT_CHARGED", "VAT_PENDING"} <= results_of_vat
    criteria = body["checks"][3]["metadata"]["criteria"]
    assert len(criteria) == 10


def test_definitions_narrowed(sandbox):
    params = {"checks[]": ["VAT"], "check_attributes[]": ["name", "title"]}

    response = requests.get(f"{sandbox.ax_url}/v1/analysis/definitions", params=params, timeout=10)

    assert response.json()["checks"] == [
        {"name": "VAT", "title": "Is the sender registered for VAT?"}
    ]
    bad = requests.get(
        f"{sandbox.ax_url}/v1/analysis/definitions", params={"checks[]": "X"}, timeout=10
    )
    assert bad.status_code == HTTPStatus.BAD_REQUEST
