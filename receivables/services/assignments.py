"""Staff adding an event to a collection case: a direct payment, a credit note, a due-date change
request, a cancellation or a comment, sent to Maventa and the case mirrored again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from companies.access import company_api
from maventa_portal.core.audit import Actor, recording
from maventa_portal.maventa_api import receivables as rcv

from ..models import Assignment
from .sync import sync_one_assignment


def add_event(
    *,
    assignment: Assignment,
    type: str,  # Maventa's field name
    amount: Decimal | None = None,
    message: str = "",
    due_date: date | None = None,
    actor: Actor | None = None,
) -> Assignment:
    asked = {
        "type": type,
        "amount": str(amount) if amount is not None else None,
        "due_date": due_date.isoformat() if due_date else None,
    }
    with recording(
        actor,
        "receivables.add_event",
        target=assignment,
        company=assignment.company_id,
        asked=asked,
    ) as rec:
        api = company_api(assignment.company, scope=rcv.SCOPE)
        made = rcv.add_assignment_event(
            api,
            assignment_id=assignment.maventa_id,
            type=type,
            amount=float(amount) if amount is not None else None,
            message=message,
            due_date=due_date or "",
        )
        assignment = sync_one_assignment(assignment=assignment, api=api)
        rec.note = f"event {made.id}; the case is {assignment.get_status_display().lower()}"
    return assignment
