"""Message threads with Amili: writing, Amili's answer arriving later, flags and seen state."""

from __future__ import annotations

import pytest

from tests.sandbox.test_receivables_helpers import call, ok, poll, receivables_token

pytestmark = pytest.mark.sandbox


def test_a_staff_message_creates_the_thread_and_amili_answers_later(sandbox, company):
    sandbox.set_receivables(answer_delay_seconds=0.5)
    token = receivables_token(sandbox, company)
    made = sandbox.create_assignment(company["company_id"], invoice_number="1001")
    path = f"/v1/assignments/{made['id']}/messages"

    mine = ok(call(sandbox, "POST", path, token, json={"body": "Onko asiakas maksanut?"}), 201)
    assert mine["author_type"] == "company"
    assert mine["author_name"]

    def answered():
        found = ok(call(sandbox, "GET", path, token))
        return found if len(found) == 2 else None

    found = poll(answered)
    assert [m["author_type"] for m in found] == ["company", "amili"]
    assert found[1]["seen"] is False
    threads = ok(call(sandbox, "GET", "/v1/message_threads", token))
    assert len(threads) == 1
    assert threads[0]["last_message"]["id"] == found[1]["id"]
    assert threads[0]["unread_count"] == 1
    assert threads[0]["assignment_id"] == made["id"]


def test_seen_flag_and_thread_reads(sandbox, company):
    sandbox.set_receivables(answers=False)
    token = receivables_token(sandbox, company)
    made = sandbox.create_assignment(company["company_id"])
    first = sandbox.amili_message("Asiakas kiistää laskun", assignment_id=made["id"])
    thread_path = f"/v1/message_threads/{first['thread_id']}"

    seen = ok(call(sandbox, "PUT", f"/v1/messages/{first['id']}/seen", token))
    assert seen["seen"] is True
    again = ok(call(sandbox, "PUT", f"/v1/messages/{first['id']}/seen", token))
    assert again["seen_at"] == seen["seen_at"]

    assert ok(call(sandbox, "PATCH", thread_path, token, json={"flagged": True}))["flagged"]
    reply = {"body": "Lähetämme kopion laskusta"}
    ok(call(sandbox, "POST", f"{thread_path}/messages", token, json=reply), 201)
    thread = ok(call(sandbox, "GET", thread_path, token))
    assert thread["flagged"] is True
    assert [m["author_type"] for m in thread["messages"]] == ["amili", "company"]
    assert thread["unread_count"] == 0
    assert len(ok(call(sandbox, "GET", f"{thread_path}/messages", token))) == 2
    bad = call(sandbox, "POST", f"{thread_path}/messages", token, json={"body": " "})
    assert bad.status_code == 400


def test_another_company_s_thread_is_not_found(sandbox, company):
    other = sandbox.create_company(name="Muu Oy", bid="7654321-9")
    made = sandbox.create_assignment(other["company_id"])
    message = sandbox.amili_message("Hei", assignment_id=made["id"])
    token = receivables_token(sandbox, company)
    path = f"/v1/message_threads/{message['thread_id']}"
    assert call(sandbox, "GET", path, token).status_code == 404
    assert call(sandbox, "PUT", f"/v1/messages/{message['id']}/seen", token).status_code == 404


def test_the_demo_has_each_status_and_unread_messages(sandbox, company):
    made = sandbox.receivables_demo(company["company_id"])
    token = receivables_token(sandbox, company)

    statuses = {a["status"] for a in ok(call(sandbox, "GET", "/v1/assignments", token))}
    assert statuses == {"open", "partially_closed", "closed"}
    threads = ok(call(sandbox, "GET", "/v1/message_threads", token))
    assert [(t["id"], t["unread_count"]) for t in threads] == [(made["thread_id"], 2)]
    assert ok(call(sandbox, "GET", "/v1/services/receivables", token))["status"] == "ACTIVE"
