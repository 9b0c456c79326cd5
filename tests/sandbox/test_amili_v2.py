"""/v2/services/amili/receivables: onboarding PENDING until KYC at activation_url, the outcome
by the KYC page or the control API and its webhook event, the own-invoice-image setting."""

from __future__ import annotations

import re

import pytest
import requests

from maventa_portal.sandbox.webhook_receiver import WebhookReceiver
from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.test_receivables_helpers import SETTINGS, ok, receivables_token

pytestmark = pytest.mark.sandbox

V2 = "/v2/services/amili/receivables"
V1 = "/v1/services/receivables"
WITHOUT_EMAIL = {k: v for k, v in SETTINGS.items() if k != "authorization_email"}


@pytest.fixture
def receiver():
    receiving = WebhookReceiver()
    yield receiving
    receiving.close()


@pytest.fixture
def token(sandbox, company) -> str:
    return receivables_token(sandbox, company)


def start(sandbox, token, body=WITHOUT_EMAIL) -> dict:
    return ok(ax_call(sandbox, "PUT", V2, token, json=body))


def subscribe(sandbox, company, destination: str, *events: str, **more) -> requests.Response:
    body = {"destination_type": "WEBHOOK", "destination": destination, "events": list(events)}
    token = company_token(sandbox, company)
    return ax_call(sandbox, "POST", "/v1/company/notifications", token, json={**body, **more})


def test_without_an_authorization_email_the_onboarding_waits_at_its_activation_url(sandbox, token):
    shown = start(sandbox, token)

    assert shown["status"] == "PENDING"
    assert "authorization_email" not in shown
    assert "/sandbox/amili/kyc/" in shown["activation_url"]
    assert shown["own_invoice_image"] is False
    assert ok(ax_call(sandbox, "GET", V2, token)) == shown
    assert ok(ax_call(sandbox, "GET", V1, token))["status"] == "PENDING"
    assert "activation_url" not in ok(ax_call(sandbox, "GET", V1, token))


def test_approving_on_the_kyc_page_activates_and_announces_it(sandbox, company, token, receiver):
    ok(subscribe(sandbox, company, receiver.url(), "SERVICES.RECEIVABLES.*"), 201)
    url = start(sandbox, token)["activation_url"]
    session = requests.Session()
    page = session.get(url, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    answer = session.post(
        url, data={"decision": "approve", "csrfmiddlewaretoken": csrf}, headers={"Referer": url}
    )

    assert answer.status_code == 200
    assert "ACTIVE" in answer.text
    assert "kyc-approve" not in answer.text
    [got] = receiver.wait_for(1)
    assert got.body["event"] == "SERVICES.RECEIVABLES.ACTIVATED"
    assert got.body["company_id"] == company["company_id"]
    assert got.body["event_data"]["status"] == "ACTIVE"
    shown = ok(ax_call(sandbox, "GET", V2, token))
    assert shown["status"] == "ACTIVE"
    assert shown["vfsfi"]["iban"]
    assert ok(ax_call(sandbox, "GET", V1, token))["status"] == "ACTIVE"


def test_a_rejection_is_rejected_in_v2_and_disabled_in_v1(sandbox, company, token, receiver):
    ok(subscribe(sandbox, company, receiver.url(), "SERVICES.RECEIVABLES.REJECTED"), 201)
    start(sandbox, token)

    shown = sandbox.amili_decide(company["company_id"], "reject")

    assert shown["status"] == "REJECTED"
    [got] = receiver.wait_for(1)
    assert got.body["event"] == "SERVICES.RECEIVABLES.REJECTED"
    assert ok(ax_call(sandbox, "GET", V2, token))["status"] == "REJECTED"
    assert ok(ax_call(sandbox, "GET", V1, token))["status"] == "DISABLED"


def test_a_decided_onboarding_is_not_decided_again(sandbox, company, token):
    url = start(sandbox, token)["activation_url"]
    sandbox.amili_decide(company["company_id"], "approve")

    again = requests.post(
        f"{sandbox.control_url}/amili/decide",
        json={"company_id": company["company_id"], "decision": "reject"},
        timeout=10,
    )

    assert again.status_code == 409
    assert "kyc-approve" not in requests.get(url, timeout=10).text
    assert ok(ax_call(sandbox, "GET", V2, token))["status"] == "ACTIVE"


def test_an_unknown_kyc_token_is_not_found(sandbox):
    assert requests.get(f"{sandbox.base_url}/amili/kyc/nope/", timeout=10).status_code == 404


def test_a_second_put_while_active_keeps_it_active(sandbox, company, token):
    start(sandbox, token)
    sandbox.amili_decide(company["company_id"], "approve")

    shown = start(sandbox, token, {**WITHOUT_EMAIL, "bank": "OP"})

    assert shown["status"] == "ACTIVE"
    assert shown["bank"] == "OP"
    assert shown["activation_url"] == ""


def test_the_own_invoice_image_setting_is_kept(sandbox, token):
    start(sandbox, token)

    shown = ok(ax_call(sandbox, "PATCH", V2, token, json={"own_invoice_image": True}))

    assert shown["own_invoice_image"] is True
    assert ok(ax_call(sandbox, "GET", V2, token))["own_invoice_image"] is True


def test_the_setting_needs_a_boolean_and_a_started_service(sandbox, company, token):
    assert ax_call(sandbox, "PATCH", V2, token, json={"own_invoice_image": True}).status_code == 404
    start(sandbox, token)
    refused = ax_call(sandbox, "PATCH", V2, token, json={"own_invoice_image": "yes"})
    assert refused.status_code == 400
    assert "own_invoice_image" in refused.json()["details"][0]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"bank": "B" * 201}, "bank is longer than 200"),
        ({"contact_person": "x" * 201}, "contact_person is longer than 200"),
        ({"contact_phone_number": "1" * 41}, "contact_phone_number is longer than 40"),
        ({"authorization_email": "a" * 250 + "@example.com"}, "authorization_email is longer"),
        (
            {"billing_address": {**SETTINGS["billing_address"], "city": "C" * 101}},
            "billing_address[city] is longer than 100",
        ),
        (
            {"billing_address": {**SETTINGS["billing_address"], "streets": ["S" * 201]}},
            "billing_address[streets] is longer than 200",
        ),
        ({"iban": "FI2112345600000786"}, "iban is not a valid IBAN"),
        ({"contact_email": ""}, "contact_email is missing"),
    ],
)
def test_bad_input_is_refused_naming_the_problem(sandbox, token, changes, problem):
    refused = ax_call(sandbox, "PUT", V2, token, json={**WITHOUT_EMAIL, **changes})

    assert refused.status_code == 400
    assert any(problem in detail for detail in refused.json()["details"]), refused.text
    assert ok(ax_call(sandbox, "GET", V2, token))["status"] == "DISABLED"


def test_a_v1_put_after_v2_starts_over_without_the_v2_part(sandbox, company, token):
    start(sandbox, token)

    ok(ax_call(sandbox, "PUT", V1, token, json=SETTINGS))

    shown = ok(ax_call(sandbox, "GET", V2, token))
    assert shown["status"] == "ACTIVE"
    assert shown["activation_url"] == ""


def test_a_vendor_webhook_hears_the_outcome_of_its_companies(sandbox, company, token, receiver):
    vendor_key = company["vendor_api_key"]
    made = subscribe(
        sandbox,
        company,
        receiver.url(),
        "SERVICES.*",
        destination_type="VENDOR_WEBHOOK",
        vendor_key=vendor_key,
    )
    ok(made, 201)
    start(sandbox, token)

    sandbox.amili_decide(company["company_id"], "approve")

    [got] = receiver.wait_for(1)
    assert got.body["event"] == "SERVICES.RECEIVABLES.ACTIVATED"
    assert got.body["company_id"] == company["company_id"]


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        ("SERVICES.RECEIVABLES.PAID", "PAID is not one of ACTIVATED, REJECTED"),
        ("SERVICES.OTHER.ACTIVATED", "OTHER is not one of RECEIVABLES"),
        ("SERVICES", "must be SERVICES.<RECEIVABLES>.<STATE> or end in *"),
    ],
)
def test_subscribing_to_an_event_the_service_never_sends_is_refused(
    sandbox, company, receiver, event, problem
):
    refused = subscribe(sandbox, company, receiver.url(), event)

    assert refused.status_code == 400
    assert any(problem in line for line in refused.json()["details"]), refused.text
