"""Syncing a company's assignments and message threads: a second run with the same answers
changes nothing, and what only the portal knows (who replied, a message it marked seen) stays."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maventa_portal.maventa_api import receivables as rcv
from maventa_portal.maventa_api.paging import Page
from receivables.models import Assignment, AssignmentEvent, Message, MessageThread
from receivables.services import sync_assignments, sync_message_threads
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

ASSIGNMENTS = [
    rcv.Assignment(
        id="a-1",
        invoice_id="inv-1",
        reference_ids=("inv-1",),
        status="partially_closed",
        amount=120.5,
        open_amount=20.5,
        due_date="2026-12-01",
        created_at="2026-11-01T10:00:00Z",
        events=(
            rcv.Event(id="e-1", type="paid", amount=100, created_at="2026-11-10T10:00:00Z"),
            rcv.Event(id="e-2", type="something_new"),
        ),
    ),
    rcv.Assignment(id="a-2", status="Closed"),
]
THREAD = rcv.Thread(id="t-1", assignment_id="a-1", subject="Invoice 12")
MESSAGES = [
    rcv.Message(id="m-1", author_type="company", body="Hello", created_at="2026-11-02T09:00:00Z"),
    rcv.Message(id="m-2", author_type="amili", body="Hi", created_at="2026-11-02T10:00:00Z"),
    rcv.Message(id="m-3", author_type="amili", body="More", created_at="2026-11-03T10:00:00Z"),
]


@pytest.fixture
def maventa(monkeypatch):
    """The client's answers: assignments over two pages, one thread of three messages."""

    def list_assignments(api, *, page=1, **_):
        chunk = ASSIGNMENTS[page - 1 : page]
        return Page(tuple(chunk), page=page, per_page=1, next_page=2 if page == 1 else None)

    monkeypatch.setattr(rcv, "list_assignments", list_assignments)
    monkeypatch.setattr(rcv, "list_threads", lambda api, page=1: Page((THREAD,), page, 100))
    monkeypatch.setattr(rcv, "list_thread_messages", lambda api, thread_id: list(MESSAGES))


def test_assignments_and_events_are_mirrored_once(maventa):
    company = CompanyFactory()

    first = sync_assignments(company=company, api=object())
    second = sync_assignments(company=company, api=object())

    assert (first.created, second.created, second.updated) == (2, 0, 2)
    assert Assignment.objects.count() == 2
    assignment = Assignment.objects.get(maventa_id="a-1")
    assert assignment.status == "partially_closed"
    assert assignment.open_amount == Decimal("20.50")
    assert assignment.reference_ids == ["inv-1"]
    assert Assignment.objects.get(maventa_id="a-2").status == "closed"
    assert set(assignment.events.values_list("maventa_id", "type")) == {
        ("e-1", "paid"),
        ("e-2", "unknown"),
    }
    assert AssignmentEvent.objects.get(maventa_id="e-2").type == "unknown"


def test_threads_count_unread_amili_messages_and_keep_the_portals_own(maventa, operator):
    company = CompanyFactory()
    sync_assignments(company=company, api=object())
    sync_message_threads(company=company, api=object())
    Message.objects.filter(maventa_id="m-1").update(replied_by=operator)
    Message.objects.filter(maventa_id="m-2").update(seen_marked_at="2026-11-04T00:00:00Z")

    again = sync_message_threads(company=company, api=object())

    thread = MessageThread.objects.get()
    assert again.updated == 1
    assert thread.assignment.maventa_id == "a-1"
    assert thread.unread_count == 1
    assert thread.last_message_at.isoformat() == "2026-11-03T10:00:00+00:00"
    assert Message.objects.count() == 3
    assert Message.objects.get(maventa_id="m-1").replied_by == operator
    assert Message.objects.get(maventa_id="m-2").seen_marked_at is not None
    assert [m.maventa_id for m in thread.messages.all()] == ["m-1", "m-2", "m-3"]


def test_a_thread_that_did_not_change_is_not_fetched_again(monkeypatch):
    """Polling every few minutes asks for a conversation's messages only when the thread list
    shows a message not mirrored yet, or an unread count that differs from ours."""
    company = CompanyFactory()
    thread = rcv.Thread(id="t-1", subject="Invoice 12", unread_count=2, last_message=MESSAGES[-1])
    listed = {"thread": thread}
    fetches = []

    def list_thread_messages(api, thread_id):
        fetches.append(thread_id)
        return list(MESSAGES)

    monkeypatch.setattr(rcv, "list_threads", lambda api, page=1: Page((listed["thread"],), 1, 100))
    monkeypatch.setattr(rcv, "list_thread_messages", list_thread_messages)

    sync_message_threads(company=company, api=object())
    listed["thread"] = rcv.Thread(**{**thread.__dict__, "flagged": True})
    sync_message_threads(company=company, api=object())
    assert fetches == ["t-1"]
    assert MessageThread.objects.get().flagged is True  # the thread itself is still updated

    listed["thread"] = rcv.Thread(**{**thread.__dict__, "unread_count": 1})  # seen elsewhere
    sync_message_threads(company=company, api=object())
    newer = rcv.Message(id="m-4", author_type="amili", body="Paid?")
    listed["thread"] = rcv.Thread(**{**thread.__dict__, "last_message": newer})
    sync_message_threads(company=company, api=object())

    assert fetches == ["t-1", "t-1", "t-1"]
