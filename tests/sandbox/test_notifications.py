"""/v1/company/notifications: subscriptions as FIELDS.md section 4 shapes them, and refusals."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, ax_get, company_token, fetch_token

pytestmark = pytest.mark.sandbox

PATH = "/v1/company/notifications"
HOOK = "https://hooks.example.com/webhooks/maventa/?secret=s3cret"


def subscribe(sandbox, token, **body):
    body = {"destination_type": "WEBHOOK", "destination": HOOK, "events": ["DOCUMENTS.*.*"], **body}
    return ax_call(sandbox, "POST", PATH, token, json=body)


def subscribed(sandbox, token, **body) -> dict:
    response = subscribe(sandbox, token, **body)
    assert response.status_code == HTTPStatus.CREATED, response.text
    return response.json()


def problems_of(response) -> list[str]:
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.text
    assert response.json()["code"] == "invalid_parameters"
    return response.json()["details"]


def test_create_answers_the_notification_with_its_id(sandbox, token):
    events = ["DOCUMENTS.INVOICE.FAILED", "NETWORKS.*", "COMPANIES.AUTHORIZATION.*"]

    created = subscribed(sandbox, token, events=events)

    assert created.pop("id")
    assert created == {"destination_type": "WEBHOOK", "destination": HOOK, "events": events}


def test_list_and_get_show_the_company_s_subscriptions_oldest_first(sandbox, token):
    first = subscribed(sandbox, token)
    second = subscribed(sandbox, token, events=["NETWORKS.PEPPOL.CREATED"])

    listed = ax_get(sandbox, PATH, token)
    one = ax_get(sandbox, f"{PATH}/{second['id']}", token)

    assert listed.status_code == HTTPStatus.OK
    assert listed.json() == [first, second]
    assert one.status_code == HTTPStatus.OK
    assert one.json() == second


def test_delete_answers_204_and_the_subscription_is_gone(sandbox, token):
    created = subscribed(sandbox, token)

    deleted = ax_call(sandbox, "DELETE", f"{PATH}/{created['id']}", token)

    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert ax_get(sandbox, f"{PATH}/{created['id']}", token).status_code == HTTPStatus.NOT_FOUND
    assert ax_get(sandbox, PATH, token).json() == []


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_unknown_or_another_company_s_subscription_answers_404(sandbox, token, method):
    other = company_token(sandbox, sandbox.create_company(name="Muu Oy", bid="7654321-2"))
    theirs = subscribed(sandbox, other)

    for unknown in (theirs["id"], "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = ax_call(sandbox, method, f"{PATH}/{unknown}", token)
        assert response.status_code == HTTPStatus.NOT_FOUND, unknown
        assert response.json()["code"] == "not_found"
    assert ax_get(sandbox, f"{PATH}/{theirs['id']}", other).status_code == HTTPStatus.OK


def test_there_is_no_update(sandbox, token):
    created = subscribed(sandbox, token)

    for method in ("PUT", "PATCH"):
        response = ax_call(sandbox, method, f"{PATH}/{created['id']}", token, json={})
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_missing_fields_are_each_named(sandbox, token):
    response = ax_call(sandbox, "POST", PATH, token, json={})

    assert problems_of(response) == [
        "destination_type is missing",
        "destination is missing",
        "events is missing",
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"destination_type": "EMAIL"}, "destination_type must be one of WEBHOOK, VENDOR_WEBHOOK"),
        ({"destination": "ftp://example.com/x"}, "destination must be an http or https URL"),
        ({"destination": "not a url"}, "destination must be an http or https URL"),
        ({"events": "DOCUMENTS.*.*"}, "events must be a list of event names"),
        ({"events": ["INVOICES.*"]}, "family must be one of DOCUMENTS, NETWORKS, COMPANIES"),
        ({"events": ["DOCUMENTS.INVOICE.PAID"]}, "PAID is not one of DELIVERED"),
        ({"events": ["NETWORKS.FAX.CREATED"]}, "FAX is not one of VISMA"),
        ({"events": ["COMPANIES.AUTHORIZATION.SIGNED"]}, "SIGNED is not one of VERIFIED"),
        ({"events": ["NETWORKS"]}, "must be NETWORKS.<NETWORK>.<STATE> or end in *"),
        ({"events": ["DOCUMENTS.INVOICE"]}, "must be DOCUMENTS.<TYPE>.<STATE> or end in *"),
        ({"events": ["DOCUMENTS.invoice.*"]}, "'invoice' is not a document type"),
        ({"events": ["NETWORKS.PEPPOL.CREATED.X"]}, "must be NETWORKS.<NETWORK>.<STATE>"),
        ({"vendor_key": "key"}, "vendor_key is for VENDOR_WEBHOOK only"),
    ],
)
def test_bad_input_answers_400_saying_what_is_wrong(sandbox, token, body, problem):
    details = problems_of(subscribe(sandbox, token, **body))

    assert any(problem in line for line in details), details


@pytest.mark.parametrize(
    "event",
    [
        "DOCUMENTS.*.*",
        "DOCUMENTS.*",
        "DOCUMENTS.ORDER.DELIVERY_CONFIRMED",
        "DOCUMENTS.INVOICE.CONFIRMED_DELIVERY",
        "NETWORKS.*.ENABLED",
        "NETWORKS.SCAN_DOCUMENTS.CREATED",
        "COMPANIES.AUTHORIZATION.UNKNOWN",
        "COMPANIES.*",
    ],
)
def test_known_event_names_and_wildcards_are_accepted(sandbox, token, event):
    assert subscribed(sandbox, token, events=[event])["events"] == [event]


def test_vendor_webhook_needs_a_vendor_key(sandbox, company):
    without_vendor = company_token_without_vendor(sandbox, company)

    response = subscribe(sandbox, without_vendor, destination_type="VENDOR_WEBHOOK")

    assert "VENDOR_WEBHOOK needs a vendor key" in problems_of(response)[0]


def test_vendor_webhook_refuses_an_unknown_vendor_key(sandbox, token):
    response = subscribe(sandbox, token, destination_type="VENDOR_WEBHOOK", vendor_key="nope")

    assert problems_of(response) == ["vendor_key is not a known vendor API key"]


def test_vendor_webhook_with_a_vendor_key_answers_the_schema_s_fields(sandbox, company, token):
    created = subscribed(
        sandbox, token, destination_type="VENDOR_WEBHOOK", vendor_key=company["vendor_api_key"]
    )

    assert set(created) == {"id", "destination_type", "destination", "events"}
    assert created["destination_type"] == "VENDOR_WEBHOOK"


def test_reading_needs_company_read_and_writing_company_write(sandbox, company):
    reader = company_token(sandbox, company, scope="company:read")

    assert ax_get(sandbox, PATH, reader).status_code == HTTPStatus.OK
    refused = subscribe(sandbox, reader)
    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert refused.json()["code"] == "insufficient_scope"
    assert ax_get(sandbox, PATH, None).status_code == HTTPStatus.UNAUTHORIZED


def company_token_without_vendor(sandbox, company) -> str:
    response = fetch_token(
        sandbox, client_id=company["company_id"], client_secret=company["api_key"]
    )
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()["access_token"]
