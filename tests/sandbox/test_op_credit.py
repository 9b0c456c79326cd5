"""/v1/services/op_invoice_credit: onboarding and signing, terms, available credit, withdrawals,
direct payments and the day's account statement (SEPA camt.053)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from lxml import etree

from tests.sandbox.conftest import ax_call
from tests.sandbox.exchange_helpers import exchange_token, sent

pytestmark = pytest.mark.sandbox

ROOT = "/v1/services/op_invoice_credit"
DETAILS = {
    "contact_email": "talous@example.com",
    "iban": "FI21 1234 5600 0007 85",
    "bic": "nordfihh",
    "bank": "Nordea",
}
OFFER = {"b2c_enabled": False, "payment_percent": 100, "interest_rate": 5, "credit_limit": 50000.0}
CAMT = "{urn:iso:std:iso:20022:tech:xsd:camt.053.001.02}"
ADVANCE_RATE = Decimal("0.80")  # the share of an invoice's sum that is collateral


def _activate(sandbox, token) -> dict:
    response = ax_call(sandbox, "PUT", ROOT, token, json=DETAILS)
    assert response.status_code == 200, response.text
    return response.json()


def _running(sandbox, company, token, *, terms=OFFER) -> None:
    """Onboarded, signed and with terms: ready to lend."""
    shown = _activate(sandbox, token)
    assert requests.post(shown["activation_url"], timeout=10).status_code == 200
    assert ax_call(sandbox, "POST", f"{ROOT}/settings", token, json=terms).status_code == 201


def _available(sandbox, token) -> dict:
    response = ax_call(sandbox, "GET", f"{ROOT}/available_credit", token)
    assert response.status_code == 200, response.text
    return response.json()


def test_before_onboarding_the_service_is_not_enabled(sandbox, token):
    response = ax_call(sandbox, "GET", ROOT, token)

    assert response.status_code == 404
    assert response.json()["code"] == "op_invoice_credit_not_enabled"
    assert ax_call(sandbox, "GET", f"{ROOT}/available_credit", token).status_code == 404


def test_onboarding_waits_for_the_signature_and_shows_ops_account(sandbox, token):
    shown = _activate(sandbox, token)

    assert shown["status"] == "PENDING"
    assert shown["iban"] == "FI2112345600000785"
    assert shown["bic"] == "NORDFIHH"
    assert shown["op_bank_details"]["bic"] == "OKOYFIHH"
    assert shown["op_bank_details"]["transfer_clause"]["content"]
    page = requests.get(shown["activation_url"], timeout=10)
    assert page.status_code == 200
    assert "Sign" in page.text
    assert ax_call(sandbox, "GET", ROOT, token).json()["status"] == "PENDING"

    assert requests.post(shown["activation_url"], timeout=10).status_code == 200

    after = ax_call(sandbox, "GET", ROOT, token).json()
    assert after["status"] == "ACTIVE"
    assert "activation_url" not in after


def test_an_unknown_signing_address_is_404(sandbox):
    url = f"{sandbox.control_url}/op_credit/sign/nothing-here"
    assert requests.post(url, timeout=10).status_code == 404


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"iban": "FI2112345600000786"}, "iban"),
        ({"bic": "NDEA"}, "bic"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"bank": ""}, "bank is missing"),
        ({"bank": "x" * 201}, "bank is longer"),
        ({"contact_email": "a@" + "b" * 260 + ".fi"}, "contact_email is longer"),
        ({"iban": 12}, "iban is missing"),
        ({"bank": "Nordea\x00"}, "bank holds a NUL"),
    ],
)
def test_invalid_details_are_refused_with_details(sandbox, token, changes, problem):
    response = ax_call(sandbox, "PUT", ROOT, token, json={**DETAILS, **changes})

    assert response.status_code == 400, response.text
    assert any(problem in detail for detail in response.json()["details"])
    assert ax_call(sandbox, "GET", ROOT, token).status_code == 404


def test_accepted_terms_become_current_beside_the_offer(sandbox, token):
    assert ax_call(sandbox, "GET", f"{ROOT}/offer", token).json() == OFFER
    _activate(sandbox, token)
    assert "current" not in ax_call(sandbox, "GET", f"{ROOT}/settings", token).json()

    terms = {**OFFER, "payment_percent": 80, "credit_limit": 1000.0}
    response = ax_call(sandbox, "POST", f"{ROOT}/settings", token, json=terms)

    assert response.status_code == 201
    assert not response.content
    shown = ax_call(sandbox, "GET", f"{ROOT}/settings", token).json()
    assert shown == {"offer": OFFER, "current": terms}


@pytest.mark.parametrize(
    "changes",
    [
        {"payment_percent": 0},
        {"payment_percent": True},
        {"interest_rate": 1},
        {"credit_limit": 50000.01},
        {"credit_limit": "100"},
        {"b2c_enabled": "yes"},
    ],
)
def test_terms_outside_the_offer_are_refused(sandbox, token, changes):
    _activate(sandbox, token)
    response = ax_call(sandbox, "POST", f"{ROOT}/settings", token, json={**OFFER, **changes})
    assert response.status_code == 400, response.text


def test_available_credit_is_the_collateral_within_the_limit_less_withdrawals(
    sandbox, company, token
):
    _running(sandbox, company, token, terms={**OFFER, "credit_limit": 200.0})
    before = _available(sandbox, token)
    invoice = sent(sandbox, exchange_token(sandbox, company))

    shown = _available(sandbox, token)

    assert before["available_credit_amount"] == 0
    expected = (Decimal(str(invoice["sum"])) * ADVANCE_RATE).quantize(Decimal("0.01"))
    assert shown["total_collateral_amount"] == float(expected)
    assert shown["total_collateral_amount"] > 200
    assert shown["max_credit_amount"] == 200.0
    assert shown["available_credit_amount"] == 200.0
    assert shown["currency"] == "EUR"
    response = ax_call(sandbox, "POST", f"{ROOT}/withdrawal", token, json={"amount": 120.5})
    assert response.status_code == 201, response.text
    after = _available(sandbox, token)
    assert after["total_withdrawn"] == 120.5
    assert after["available_credit_amount"] == 79.5


def test_a_withdrawal_over_the_available_credit_is_refused(sandbox, company, token):
    _running(sandbox, company, token)
    sent(sandbox, exchange_token(sandbox, company))

    response = ax_call(sandbox, "POST", f"{ROOT}/withdrawal", token, json={"amount": 400})

    assert response.status_code == 422
    assert response.json()["code"] == "op_invoice_credit_insufficient_credit"
    assert _available(sandbox, token)["total_withdrawn"] == 0


@pytest.mark.parametrize("amount", [0, -5, "10", True, 1.234, 1e300, None])
def test_a_withdrawal_of_no_proper_amount_is_400(sandbox, company, token, amount):
    _running(sandbox, company, token)
    response = ax_call(sandbox, "POST", f"{ROOT}/withdrawal", token, json={"amount": amount})
    assert response.status_code == 400, response.text


def test_no_withdrawal_before_the_agreement_is_signed(sandbox, token):
    _activate(sandbox, token)
    response = ax_call(sandbox, "POST", f"{ROOT}/withdrawal", token, json={"amount": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "op_invoice_credit_not_enabled"


def test_an_invoice_paid_directly_leaves_the_collateral(sandbox, company, token):
    _running(sandbox, company, token)
    invoice = sent(sandbox, exchange_token(sandbox, company))
    path = f"{ROOT}/direct_payment"

    response = ax_call(sandbox, "POST", path, token, json={"invoice_id": invoice["id"]})

    assert response.status_code == 201, response.text
    assert _available(sandbox, token)["total_collateral_amount"] == 0
    again = ax_call(sandbox, "POST", path, token, json={"invoice_id": invoice["id"]})
    assert again.status_code == 422
    assert again.json()["code"] == "op_invoice_credit_direct_payment_exists"


@pytest.mark.parametrize(
    ("invoice_id", "status"),
    [("8a0f2d2e-8e43-4c0e-9a5c-3d8f4d1b2c3a", 404), ("not-a-uuid", 400), ("x" * 65, 400)],
)
def test_a_direct_payment_of_no_invoice_of_the_company_is_refused(
    sandbox, company, token, invoice_id, status
):
    _running(sandbox, company, token)
    response = ax_call(
        sandbox, "POST", f"{ROOT}/direct_payment", token, json={"invoice_id": invoice_id}
    )
    assert response.status_code == status, response.text


def test_the_days_statement_lists_its_withdrawals_and_repayments(sandbox, company, token):
    _running(sandbox, company, token)
    sent(sandbox, exchange_token(sandbox, company))
    ax_call(sandbox, "POST", f"{ROOT}/withdrawal", token, json={"amount": 100})
    repaid = requests.post(
        f"{sandbox.control_url}/op_credit/repayments",
        json={"company_id": company["company_id"], "amount": 30},
        timeout=10,
    )
    assert repaid.status_code == 201, repaid.text
    today = date.today().isoformat()

    response = ax_call(sandbox, "GET", f"{ROOT}/account_statement", token, params={"day": today})

    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    entries = root.findall(f".//{CAMT}Ntry")
    assert [(e.findtext(f"{CAMT}Amt"), e.findtext(f"{CAMT}CdtDbtInd")) for e in entries] == [
        ("100.00", "DBIT"),
        ("30.00", "CRDT"),
    ]
    closing = [b for b in root.iter(f"{CAMT}Bal") if b.findtext(f".//{CAMT}Cd") == "CLBD"]
    assert closing[0].findtext(f"{CAMT}Amt") == "70.00"


def test_a_day_without_entries_has_no_statement(sandbox, company, token):
    _running(sandbox, company, token)
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    response = ax_call(
        sandbox, "GET", f"{ROOT}/account_statement", token, params={"day": yesterday}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "op_invoice_credit_no_account_statement_found"


@pytest.mark.parametrize("day", ["", "2026-13-01", "yesterday", "2026-01-01" * 3])
def test_a_statement_day_that_is_no_date_is_400(sandbox, company, token, day):
    _running(sandbox, company, token)
    response = ax_call(sandbox, "GET", f"{ROOT}/account_statement", token, params={"day": day})
    assert response.status_code == 400, response.text
