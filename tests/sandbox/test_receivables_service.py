"""/v1/services/receivables: activation, its validation, the state with ``vfsfi``, disabling."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import ax_call
from tests.sandbox.test_receivables_helpers import SETTINGS, activate, call, ok, receivables_token

pytestmark = pytest.mark.sandbox

PATH = "/v1/services/receivables"


def test_activation_answers_the_settings_with_the_collection_account(sandbox, company):
    token = receivables_token(sandbox, company)

    shown = activate(sandbox, token)

    assert shown["status"] == "ACTIVE"
    assert shown["iban"] == "FI2112345600000785"
    assert shown["billing_address"]["streets"] == ["Testikatu 1 A", "PL 12"]
    assert {note["code"] for note in shown["vfsfi"]["notes"]} == {"FI", "SV", "EN"}
    assert shown["vfsfi"]["iban"]
    assert shown["vfsfi"]["bic"]
    assert shown["vfsfi"]["account_number"]
    assert ok(call(sandbox, "GET", PATH, token)) == shown


def test_the_ax_root_serves_the_same_service(sandbox, company):
    token = receivables_token(sandbox, company)
    response = ax_call(sandbox, "PUT", PATH, token, json=SETTINGS)
    assert ok(response)["status"] == "ACTIVE"
    assert ok(ax_call(sandbox, "GET", PATH, token))["contact_person"] == "Maija Meikäläinen"


def test_disabling_keeps_the_settings(sandbox, company):
    token = receivables_token(sandbox, company)
    activate(sandbox, token)

    assert call(sandbox, "DELETE", PATH, token).status_code == 204

    shown = ok(call(sandbox, "GET", PATH, token))
    assert shown["status"] == "DISABLED"
    assert "vfsfi" not in shown
    assert shown["bank"] == "Nordea"


def test_a_company_never_activated_is_disabled(sandbox, company):
    shown = ok(call(sandbox, "GET", PATH, receivables_token(sandbox, company)))
    assert shown == {"status": "DISABLED"}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"iban": "FI2112345600000786"}, "iban"),
        ({"iban": "not an iban"}, "iban"),
        ({"bic": "NDEA"}, "bic"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"accountable_party": "someone"}, "accountable_party"),
        ({"bank": ""}, "bank is missing"),
        ({"billing_address": {"country": "FI", "streets": [], "city": "Espoo"}}, "zip_code"),
    ],
)
def test_invalid_settings_are_refused_with_details(sandbox, company, changes, problem):
    token = receivables_token(sandbox, company)

    response = call(sandbox, "PUT", PATH, token, json={**SETTINGS, **changes})

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_parameters"
    assert any(problem in detail for detail in response.json()["details"])
    assert ok(call(sandbox, "GET", PATH, token))["status"] == "DISABLED"


def test_a_token_without_the_receivables_scope_is_refused(sandbox, company, token):
    assert call(sandbox, "GET", PATH, token).status_code == 401
