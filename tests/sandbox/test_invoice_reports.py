"""Fraud reports on received invoices, and the received-event marks (FIELDS.md section 5)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from tests.sandbox.conftest import ax_call
from tests.sandbox.exchange_helpers import INVOICES, exchange_token, sent

pytestmark = pytest.mark.sandbox

REPORT = {"reason": ["UNKNOWN_COMPANY", "MISLEADING_NAME"], "contact_email": "fraud@example.com"}


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


@pytest.fixture
def received(sandbox, company) -> list[dict]:
    """Two received invoices from one sender, and one from another."""
    sandbox.set_exchange(seed=11)
    made = sandbox.incoming(company["company_id"], count=12, format="FINVOICE30")
    by_sender: dict[str, list[dict]] = {}
    for invoice in made:
        by_sender.setdefault(invoice["sender"]["bid"], []).append(invoice)
    twice = next(group for group in by_sender.values() if len(group) >= 2)
    other = next(group[0] for bid, group in by_sender.items() if group is not twice)
    return [twice[0], twice[1], other]


def reports_path(invoice: dict) -> str:
    return f"{INVOICES}/{invoice['id']}/reports"


def test_definitions_need_no_token(sandbox):
    response = requests.get(f"{sandbox.ax_url}/v1/invoices/reports/definitions", timeout=10)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert len(body["criteria"]) == 10
    assert body["criteria"][0]["name"] == "NONEXISTENT_PRODUCT"
    assert body["disclaimer_text"]


def test_report_then_list_it(sandbox, token, received):
    first = received[0]

    posted = ax_call(sandbox, "POST", reports_path(first), token, json=REPORT)
    listed = ax_call(sandbox, "GET", reports_path(first), token)

    assert posted.status_code == HTTPStatus.NO_CONTENT
    [report] = listed.json()
    assert report["invoice_id"] == first["id"]
    assert report["company_bid"] == first["sender"]["bid"]
    assert report["company_name"] == first["sender"]["name"]
    assert [r["name"] for r in report["reasons"]] == REPORT["reason"]
    assert report["reporter_contact_email"] == "fraud@example.com"


def test_a_sender_is_reported_once_whichever_invoice(sandbox, token, received):
    first, second, other = received
    ax_call(sandbox, "POST", reports_path(first), token, json=REPORT)

    again = ax_call(sandbox, "POST", reports_path(second), token, json=REPORT)
    another_sender = ax_call(sandbox, "POST", reports_path(other), token, json=REPORT)

    assert again.status_code == HTTPStatus.CONFLICT
    assert another_sender.status_code == HTTPStatus.NO_CONTENT
    # The report of the sender shows on its other invoice too.
    assert len(ax_call(sandbox, "GET", reports_path(second), token).json()) == 1


def test_no_report_is_404(sandbox, token, received):
    response = ax_call(sandbox, "GET", reports_path(received[0]), token)

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_delete_a_report(sandbox, token, received):
    ax_call(sandbox, "POST", reports_path(received[0]), token, json=REPORT)
    report_id = ax_call(sandbox, "GET", reports_path(received[0]), token).json()[0]["id"]

    deleted = ax_call(sandbox, "DELETE", f"{reports_path(received[0])}/{report_id}", token)
    again = ax_call(sandbox, "DELETE", f"{reports_path(received[0])}/{report_id}", token)

    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert again.status_code == HTTPStatus.NOT_FOUND
    assert (
        ax_call(sandbox, "POST", reports_path(received[0]), token, json=REPORT).status_code == 204
    )


def test_a_sent_invoice_cannot_be_reported(sandbox, token):
    mine = sent(sandbox, token)

    response = ax_call(sandbox, "POST", reports_path(mine), token, json=REPORT)

    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"contact_email": "a@example.com"}, "reason"),
        ({"reason": [], "contact_email": "a@example.com"}, "reason"),
        ({"reason": ["RUDE"], "contact_email": "a@example.com"}, "RUDE"),
        ({"reason": ["UNKNOWN_COMPANY"]}, "contact_email"),
        ({"reason": ["UNKNOWN_COMPANY"], "contact_email": "x", "description": 5}, "description"),
    ],
)
def test_bad_reports_are_refused(sandbox, token, received, body, named):
    response = ax_call(sandbox, "POST", reports_path(received[0]), token, json=body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert any(named in line for line in response.json()["details"])


@pytest.mark.parametrize("state", ["HANDLED", "CREATED"])
def test_received_event_mark(sandbox, token, received, state):
    path = f"{INVOICES}/{received[0]['id']}/invoice_events"

    response = ax_call(sandbox, "PATCH", path, token, json={"state": state})

    assert response.status_code == HTTPStatus.NO_CONTENT


def test_received_event_mark_needs_a_known_state(sandbox, token, received):
    path = f"{INVOICES}/{received[0]['id']}/invoice_events"

    response = ax_call(sandbox, "PATCH", path, token, json={"state": "READ"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
