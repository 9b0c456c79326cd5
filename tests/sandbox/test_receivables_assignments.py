"""Assignments, their events and status, the overview, and service levels."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.sandbox.exchange_helpers import exchange_token, sent
from tests.sandbox.test_receivables_helpers import activate, call, ok, receivables_token

pytestmark = pytest.mark.sandbox


def test_events_move_an_assignment_from_open_to_closed(sandbox, company):
    token = receivables_token(sandbox, company)
    made = sandbox.create_assignment(company["company_id"], amount="100.00", debtor_name="Velka Oy")
    events = f"/v1/assignments/{made['id']}/events"

    paid = ok(call(sandbox, "POST", events, token, json={"type": "paid", "amount": 40}), 201)
    assert paid["sender"] == "company"
    shown = ok(call(sandbox, "GET", f"/v1/assignments/{made['id']}", token))
    assert shown["status"] == "partially_closed"
    assert shown["open_amount"] == 60.0

    body = {"type": "credit_note", "amount": "60.00", "message": "hyvitys"}
    ok(call(sandbox, "POST", events, token, json=body), 201)
    shown = ok(call(sandbox, "GET", f"/v1/assignments/{made['id']}", token))
    assert shown["status"] == "closed"
    assert [e["type"] for e in shown["events"]] == ["paid", "credit_note", "close"]
    assert [e["type"] for e in ok(call(sandbox, "GET", events, token))] == [
        "paid",
        "credit_note",
        "close",
    ]


def test_due_date_change_cancellation_and_refusals(sandbox, company):
    token = receivables_token(sandbox, company)
    made = sandbox.create_assignment(company["company_id"])
    events = f"/v1/assignments/{made['id']}/events"

    body = {"type": "due_date_change", "due_date": "2031-01-31"}
    ok(call(sandbox, "POST", events, token, json=body), 201)
    assert ok(call(sandbox, "GET", f"/v1/assignments/{made['id']}", token))["due_date"] == (
        "2031-01-31"
    )
    for bad in ({"type": "close"}, {"type": "paid"}, {"type": "comment"}):
        assert call(sandbox, "POST", events, token, json=bad).status_code == 400
    ok(call(sandbox, "POST", events, token, json={"type": "cancellation"}), 201)
    assert ok(call(sandbox, "GET", f"/v1/assignments/{made['id']}", token))["status"] == "closed"


def test_list_filters_pages_and_overview(sandbox, company):
    token = receivables_token(sandbox, company)
    today = date.today()
    cid = company["company_id"]
    sandbox.create_assignment(cid, debtor_name="Alpha Oy", due_date=str(today - timedelta(3)))
    sandbox.create_assignment(cid, debtor_name="Beta Oy", due_date=str(today + timedelta(2)))
    sandbox.create_assignment(cid, debtor_name="Gamma Oy", status="partially_closed")
    sandbox.create_assignment(cid, debtor_name="Delta Oy", status="closed")

    listed = call(sandbox, "GET", "/v1/assignments", token, params={"per_page": 3})
    assert listed.headers["X-Total"] == "4"
    assert len(ok(listed)) == 3
    named = ok(call(sandbox, "GET", "/v1/assignments", token, params={"debtor_name": "beta"}))
    assert [a["debtor_name"] for a in named] == ["Beta Oy"]
    closed = ok(call(sandbox, "GET", "/v1/assignments", token, params={"status": "closed"}))
    assert [a["debtor_name"] for a in closed] == ["Delta Oy"]
    later = {"created_after": "2099-01-01T00:00:00Z"}
    assert ok(call(sandbox, "GET", "/v1/assignments", token, params=later)) == []
    bad = call(sandbox, "GET", "/v1/assignments", token, params={"status": "lost"})
    assert bad.status_code == 400
    overview = ok(call(sandbox, "GET", "/v1/assignments/overview", token))
    assert overview == {"open": 3, "soon_due": 1, "overdue": 1}


def test_events_list_and_mark_seen(sandbox, company):
    token = receivables_token(sandbox, company)
    made = sandbox.create_assignment(company["company_id"], amount="50.00")
    from_amili = sandbox.amili_event(made["id"], "comment", comment="Asiakas pyytää maksuaikaa")

    unseen = ok(call(sandbox, "GET", "/v1/events", token, params={"seen": "false"}))
    assert [e["id"] for e in unseen] == [from_amili["id"]]
    path = f"/v1/assignments/{made['id']}/events/{from_amili['id']}/seen"
    assert ok(call(sandbox, "POST", path, token))["seen"] is True
    assert ok(call(sandbox, "GET", "/v1/events", token, params={"seen": "false"})) == []


def test_invoices_sent_while_active_open_assignments(sandbox, company):
    sent(sandbox, exchange_token(sandbox, company))  # before activation: no assignment
    token = receivables_token(sandbox, company)
    activate(sandbox, token)
    invoice = sent(sandbox, exchange_token(sandbox, company))

    found = ok(call(sandbox, "GET", "/v1/assignments", token))

    assert [a["invoice_id"] for a in found] == [invoice["id"]]
    assert found[0]["reference_ids"] == [invoice["id"]]
    assert found[0]["status"] == "open"
    assert sandbox.open_assignments(company["company_id"], everything=True) == 1


def test_another_company_s_assignment_is_not_found(sandbox, company):
    other = sandbox.create_company(name="Muu Oy", bid="7654321-9")
    made = sandbox.create_assignment(other["company_id"])
    token = receivables_token(sandbox, company)
    assert call(sandbox, "GET", f"/v1/assignments/{made['id']}", token).status_code == 404


def test_service_levels(sandbox, company):
    token = receivables_token(sandbox, company)
    path = "/v1/service_levels/1234567-8"
    assert ok(call(sandbox, "GET", path, token))["service_level"] == "default"

    ok(call(sandbox, "PATCH", path, token, json={"service_level": "vip"}))
    ok(call(sandbox, "PATCH", "/v1/service_levels/2222222-2", token, json={"service_level": "vip"}))
    ok(
        call(
            sandbox,
            "PATCH",
            "/v1/service_levels/2222222-2",
            token,
            json={"service_level": "default"},
        )
    )

    assert ok(call(sandbox, "GET", "/v1/service_levels", token)) == [
        {"customer_bid": "1234567-8", "service_level": "vip"}
    ]
    assert call(sandbox, "PATCH", path, token, json={"service_level": "gold"}).status_code == 400
