"""Webhook deliveries: the body Maventa posts, the destination's auth, and the hourly retries."""

from __future__ import annotations

import base64
import time

import pytest

from maventa_portal.sandbox.webhook_receiver import WebhookReceiver
from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.exchange_helpers import exchange_token, sent
from tests.sandbox.exchange_helpers import sample as exchange_sample

pytestmark = pytest.mark.sandbox

# The vendor's sample payloads (API.md "Webhooks"), as published.
SAMPLES = {
    "company_authorization_verified": {
        "event": "COMPANIES.AUTHORIZATION.VERIFIED",
        "company_id": "74700284-d794-4fdd-a2ae-d72c3589f7a2",
        "event_timestamp": "2021-10-29T11:33:24+03:00",
        "event_data": {"state": "VERIFIED"},
    },
    "invoice_delivered": {
        "event": "DOCUMENTS.INVOICE.DELIVERED",
        "company_id": "53a4e05d-42f0-4e76-acd6-968ab4558c6f",
        "event_timestamp": "2019-11-23T12:03:48+02:00",
        "event_data": {
            "invoice_id": "12f88354-5998-495b-8675-67bf05de60e5",
            "invoice_number": "1003",
            "destination": "PEPPOL",
            "recipient_name": "Recipient",
            "recipient_bid": "933646920",
        },
    },
    "invoice_failed": {
        "event": "DOCUMENTS.INVOICE.FAILED",
        "company_id": "53a4e05d-42f0-4e76-acd6-968ab4558c6f",
        "event_timestamp": "2019-11-23T12:03:48+02:00",
        "event_data": {
            "invoice_id": "da01a81d-1995-440c-971b-7e56c6c10e1d",
            "invoice_number": "1001",
            "destination": "PEPPOL",
            "recipient_name": "Recipient",
            "recipient_bid": "933646920",
            "error_message": "Error that happened",
        },
    },
    "invoice_received": {
        "event": "DOCUMENTS.INVOICE.RECEIVED",
        "company_id": "53a4e05d-42f0-4e76-acd6-968ab4558c6f",
        "event_timestamp": "2019-11-23T12:03:48+02:00",
        "event_data": {
            "invoice_id": "c154feee-399b-488e-aecd-580578b140e0",
            "invoice_number": "1002",
            "origin": "PEPPOL",
            "sender_name": "Sender",
            "sender_bid": "937729111",
        },
    },
    "network_peppol_created": {
        "event": "NETWORKS.PEPPOL.CREATED",
        "company_id": "d93a645e-ff69-42d3-88ad-5957ee173b28",
        "event_timestamp": "2020-02-04T10:24:47+02:00",
        "event_data": {
            "network": "PEPPOL",
            "profiles": ["INVOICE_AND_CREDIT_NOTE"],
            "id": "f22c4a82-68a5-44fe-8e53-02ccc657f50d",
        },
    },
}
PATH = "/v1/company/notifications"
HOUR = 0.2  # the compressed "hour" of the retry rule


@pytest.fixture
def receiver():
    receiving = WebhookReceiver()
    yield receiving
    receiving.close()


@pytest.fixture
def hourly(sandbox):
    return sandbox.set_webhooks(hour_seconds=HOUR)


def subscribe(sandbox, token, destination: str, *events: str, **more) -> dict:
    body = {"destination_type": "WEBHOOK", "destination": destination, "events": list(events)}
    response = ax_call(sandbox, "POST", PATH, token, json={**body, **more})
    assert response.status_code == 201, response.text
    return response.json()


def sample(name: str) -> dict:
    return SAMPLES[name]


def shape(body: dict) -> dict:
    return {key: sorted(value) if isinstance(value, dict) else None for key, value in body.items()}


def until(predicate, timeout: float = 10.0):
    """Polls ``predicate`` until it answers something truthy; fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"nothing came within {timeout} s")


def test_authorization_event_is_posted_as_the_sample(sandbox, receiver, hourly):
    company = sandbox.create_company(name="Kyc Oy", bid="7654321-2", company_state="UNVERIFIED")
    token = company_token(sandbox, company)
    subscribe(sandbox, token, receiver.url(), "COMPANIES.AUTHORIZATION.*")

    sandbox.set_company(company["company_id"], company_state="VERIFIED")

    [got] = receiver.wait_for(1)
    expected = sample("company_authorization_verified")
    assert shape(got.body) == shape(expected)
    assert got.body["event"] == expected["event"]
    assert got.body["event_data"] == {"state": "VERIFIED"}
    assert got.body["company_id"] == company["company_id"]
    assert got.body["event_timestamp"][-6:] in ("+02:00", "+03:00")
    assert got.headers["Content-Type"] == "application/json"


def test_invoice_events_carry_the_sample_fields(sandbox, company, receiver, hourly):
    token = exchange_token(sandbox, company)
    subscribe(sandbox, token, receiver.url(), "DOCUMENTS.INVOICE.*")

    delivered = sent(sandbox, token)
    sandbox.tick()
    failed = sent(sandbox, token)
    sandbox.set_invoice(failed["id"], status="FAILED", message="Error that happened")
    sandbox.incoming(company["company_id"])

    bodies = [r.body for r in receiver.wait_for(3)]
    by_event = {body["event"]: body for body in bodies}
    for name in ("invoice_delivered", "invoice_failed", "invoice_received"):
        expected = sample(name)
        assert shape(by_event[expected["event"]]) == shape(expected), name
    assert by_event["DOCUMENTS.INVOICE.DELIVERED"]["event_data"]["invoice_id"] == delivered["id"]
    assert by_event["DOCUMENTS.INVOICE.FAILED"]["event_data"]["error_message"] == (
        "Error that happened"
    )


def test_network_events_follow_the_registration(sandbox, token, receiver, hourly):
    sandbox.set_lifecycle(profile_activation_seconds=0.1)
    subscribe(sandbox, token, receiver.url(), "NETWORKS.*")

    created = ax_call(
        sandbox,
        "POST",
        "/v1/company/profiles",
        token,
        json={"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
    ).json()

    # ENABLED comes with no further read: the sandbox moves on by itself while one subscribes.
    first, second = (r.body for r in receiver.wait_for(2))
    assert shape(first) == shape(sample("network_peppol_created"))
    assert first["event_data"] == {
        "network": "VISMA",
        "profiles": ["INVOICE_AND_CREDIT_NOTE"],
        "id": created["id"],
    }
    assert second["event"] == "NETWORKS.VISMA.ENABLED"


def test_only_the_subscribed_events_are_posted(sandbox, company, token, receiver, hourly):
    subscribe(sandbox, token, receiver.url(), "COMPANIES.AUTHORIZATION.UNVERIFIED")

    sandbox.set_company(company["company_id"], company_state="UNKNOWN")
    sandbox.set_company(company["company_id"], company_state="UNVERIFIED")

    [got] = receiver.wait_for(1)
    assert got.body["event"] == "COMPANIES.AUTHORIZATION.UNVERIFIED"
    assert sandbox.flush_webhooks(everything=True)["attempted"] == 0
    assert len(receiver.received) == 1


def test_basic_auth_in_the_url_is_sent_as_an_authorization_header(
    sandbox, company, token, receiver, hourly
):
    destination = receiver.url("/webhooks/maventa/", user="maventa", password="s3cr:et/")  # noqa: S106
    subscribe(sandbox, token, destination, "COMPANIES.*")

    sandbox.set_company(company["company_id"], company_state="UNKNOWN")

    [got] = receiver.wait_for(1)
    assert got.path == "/webhooks/maventa/"
    expected = base64.b64encode(b"maventa:s3cr:et/").decode()
    assert got.headers["Authorization"] == f"Basic {expected}"


def test_a_secret_in_the_query_is_kept(sandbox, company, token, receiver, hourly):
    subscribe(sandbox, token, receiver.url("/webhooks/maventa/?secret=abc%2B1"), "COMPANIES.*")

    sandbox.set_company(company["company_id"], company_state="UNKNOWN")

    [got] = receiver.wait_for(1)
    assert got.query == {"secret": ["abc+1"]}
    assert "Authorization" not in got.headers


def test_an_error_answer_is_retried_an_hour_later_until_handled(sandbox, company, token, hourly):
    failing = WebhookReceiver(failures=2)
    try:
        subscribe(sandbox, token, failing.url(), "COMPANIES.*")

        sandbox.set_company(company["company_id"], company_state="UNKNOWN")

        tries = failing.wait_for(3)
        [delivery] = until(lambda: sandbox.deliveries(state="DELIVERED"))
    finally:
        failing.close()
    assert [t.status for t in tries] == [500, 500, 204]
    assert tries[0].body == tries[1].body == tries[2].body
    assert [t["status"] for t in delivery["tries"]] == [500, 500, 204]
    assert delivery["attempts"] == 3


def test_retries_stop_after_24_hours(sandbox, company, token):
    sandbox.set_webhooks(hour_seconds=0.01)
    refusing = WebhookReceiver(status=503)
    try:
        subscribe(sandbox, token, refusing.url(), "COMPANIES.*")

        sandbox.set_company(company["company_id"], company_state="UNKNOWN")

        [delivery] = until(lambda: sandbox.deliveries(state="GAVE_UP"), timeout=20)
    finally:
        refusing.close()
    assert delivery["attempts"] == 25  # the first try and 24 hourly retries
    assert delivery["next_attempt_at"] is None
    assert {t["status"] for t in delivery["tries"]} == {503}


def test_no_answer_counts_as_unhandled(sandbox, company, token, hourly):
    gone = WebhookReceiver()
    destination = gone.url()
    gone.close()
    subscribe(sandbox, token, destination, "COMPANIES.*")

    sandbox.set_company(company["company_id"], company_state="UNKNOWN")

    [delivery] = until(lambda: [d for d in sandbox.deliveries() if d["attempts"] >= 2])
    assert delivery["state"] == "PENDING"
    assert delivery["tries"][0]["status"] is None
    assert delivery["tries"][0]["error"]


def test_deleting_the_subscription_cancels_what_is_pending(sandbox, company, token, receiver):
    sandbox.set_webhooks(delay_seconds=3600)
    created = subscribe(sandbox, token, receiver.url(), "COMPANIES.*")
    sandbox.set_company(company["company_id"], company_state="UNKNOWN")

    ax_call(sandbox, "DELETE", f"{PATH}/{created['id']}", token)

    [delivery] = sandbox.deliveries()
    assert delivery["state"] == "CANCELED"
    assert sandbox.flush_webhooks(everything=True)["attempted"] == 0
    assert receiver.received == []


def test_no_answer_within_the_deadline_is_tried_again(sandbox, company, token):
    sandbox.set_webhooks(hour_seconds=HOUR, timeout_seconds=0.3)
    slow = WebhookReceiver(failures=1, hang_seconds=2)
    try:
        subscribe(sandbox, token, slow.url(), "COMPANIES.*")

        sandbox.set_company(company["company_id"], company_state="UNKNOWN")

        [delivery] = until(lambda: sandbox.deliveries(state="DELIVERED"))
    finally:
        slow.close()
    first, second = delivery["tries"]
    assert first["status"] is None
    assert "Timeout" in first["error"]
    assert second["status"] == 204


def test_document_events_reach_their_subscribers(sandbox, company, token, receiver, hourly):
    subscribe(sandbox, token, receiver.url(), "DOCUMENTS.ORDER.*")
    order = sandbox.incoming(company["company_id"], count=1, document_type="ORDER")[0]
    files = {"file": ("order.xml", exchange_sample("peppol-bis3-order.xml"), "text/xml")}
    sent_order = ax_call(sandbox, "POST", "/v1/documents", token, files=files).json()

    sandbox.tick()

    bodies = [r.body for r in receiver.wait_for(2)]
    assert [(b["event"], b["event_data"]["document_id"]) for b in bodies] == [
        ("DOCUMENTS.ORDER.RECEIVED", order["id"]),
        ("DOCUMENTS.ORDER.DELIVERED", sent_order["id"]),
    ]


def test_the_hour_comes_from_the_setting_unless_the_control_api_sets_one(sandbox, settings):
    settings.SANDBOX_WEBHOOK_HOUR_SECONDS = 0.5
    settings.SANDBOX_WEBHOOK_TIMEOUT_SECONDS = 2

    from_settings = sandbox.webhooks()
    overridden = sandbox.set_webhooks(hour_seconds=HOUR)

    assert (from_settings["hour_seconds"], from_settings["timeout_seconds"]) == (0.5, 2)
    assert overridden["hour_seconds"] == HOUR
