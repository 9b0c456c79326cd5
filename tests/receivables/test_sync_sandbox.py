"""Syncing against the sandbox: assignments, their events and Amili's messages arrive as the
sandbox holds them, and a second sync adds nothing."""

from __future__ import annotations

from decimal import Decimal

from companies.access import company_api
from maventa_portal.maventa_api import receivables as rcv
from receivables.models import Assignment, AssignmentEvent, Message, MessageThread
from receivables.services import sync_assignments, sync_message_threads


def test_a_second_sync_finds_everything_already_mirrored(sandbox, make_company):
    company = make_company()
    first = sandbox.create_assignment(
        str(company.maventa_id), debtor_name="Buyer Oy", amount="150.00", status="open"
    )
    sandbox.create_assignment(str(company.maventa_id), debtor_name="Other Oy", status="closed")
    sandbox.amili_event(first["id"], "paid", amount="50.00")
    sandbox.amili_message("Could you check this one?", assignment_id=first["id"])

    created = sync_assignments(company=company) + sync_message_threads(company=company)
    again = sync_assignments(company=company) + sync_message_threads(company=company)

    assert (created.created, again.created) == (3, 0)
    assert (again.unchanged, again.updated) == (2, 1), "the cases unchanged cost no write"
    mirrored = Assignment.objects.get(maventa_id=first["id"])
    assert mirrored.company == company
    assert mirrored.amount == Decimal("150.00")
    assert AssignmentEvent.objects.filter(assignment=mirrored, type="paid").count() == 1
    thread = MessageThread.objects.get()
    assert thread.assignment == mirrored
    assert thread.unread_count == 1
    assert Message.objects.get().author_kind == "amili"


def test_a_case_that_moved_at_maventa_is_written_again(sandbox, make_company):
    company = make_company()
    case = sandbox.create_assignment(str(company.maventa_id), amount="80.00", status="open")
    sync_assignments(company=company)

    sandbox.amili_event(case["id"], "paid", amount="80.00")
    moved = sync_assignments(company=company)

    mirrored = Assignment.objects.get(maventa_id=case["id"])
    assert (moved.updated, moved.unchanged) == (1, 0)
    assert mirrored.status == "closed"
    assert set(mirrored.events.values_list("type", flat=True)) == {"paid", "close"}


def test_polling_fetches_a_conversation_only_when_the_thread_list_shows_it_changed(
    sandbox, make_company
):
    """Against the sandbox: a poll with nothing new asks for no conversation's messages; a new
    Amili message, or one marked seen elsewhere, makes the next poll fetch that one again."""
    company = make_company()
    case = sandbox.create_assignment(str(company.maventa_id), debtor_name="Buyer Oy")
    first = sandbox.amili_message("Could you check this one?", assignment_id=case["id"])
    sync_message_threads(company=company)
    thread_id = MessageThread.objects.get().maventa_id
    fetches = f"GET /receivables/v1/message_threads/{thread_id}/messages"
    after_first = sandbox.requests_to(fetches)

    sync_message_threads(company=company)
    assert sandbox.requests_to(fetches) == after_first, "nothing new: no fetch"

    sandbox.amili_message("And this one?", thread_id=thread_id)
    sync_message_threads(company=company)
    assert sandbox.requests_to(fetches) == after_first + 1
    assert Message.objects.count() == 2

    rcv.mark_message_seen(company_api(company, scope=rcv.SCOPE), message_id=first["id"])
    sync_message_threads(company=company)
    assert sandbox.requests_to(fetches) == after_first + 2, "seen elsewhere: fetched again"
