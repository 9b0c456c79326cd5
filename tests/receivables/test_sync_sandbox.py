"""Syncing against the sandbox: assignments, their events and Amili's messages arrive as the
sandbox holds them, and a second sync adds nothing."""

from __future__ import annotations

from decimal import Decimal

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
