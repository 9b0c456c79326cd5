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

    assert (created.created, again.created, again.updated) == (3, 0, 3)
    mirrored = Assignment.objects.get(maventa_id=first["id"])
    assert mirrored.company == company
    assert mirrored.amount == Decimal("150.00")
    assert AssignmentEvent.objects.filter(assignment=mirrored, type="paid").count() == 1
    thread = MessageThread.objects.get()
    assert thread.assignment == mirrored
    assert thread.unread_count == 1
    assert Message.objects.get().author_kind == "amili"
