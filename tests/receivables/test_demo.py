"""The receivables demo of `make run`: what staff find in the inbox and the assignments."""

from __future__ import annotations

from receivables.demo import seed_demo
from receivables.models import Assignment, MessageThread


def test_the_demo_shows_each_status_and_unread_messages_once(sandbox, make_company):
    make_company(country="FI")

    said = seed_demo()

    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert {"open", "partially_closed", "closed"} <= statuses
    assert sum(MessageThread.objects.values_list("unread_count", flat=True)) > 0
    assert "receivables active for" in said
    assert seed_demo() == "receivables demo already there."
