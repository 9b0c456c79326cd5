"""Receivables demo for `make run`: one Finnish company with the service active, an assignment in
each status and a conversation with unread messages from Amili, mirrored through the real sync.

The sandbox's control client stands in for Amili (as for senders elsewhere). Idempotent: nothing
is added once any conversation exists.
"""

from __future__ import annotations

from django.conf import settings

from companies.models import Company
from maventa_portal.sandbox.control_client import SandboxControl

from .models import MessageThread
from .services import sync_assignments, sync_message_threads


def seed_demo() -> str:
    if MessageThread.objects.exists():
        return "receivables demo already there."
    company = (
        Company.objects.filter(
            country="FI", company_state=Company.State.VERIFIED, credential__isnull=False
        )
        .exclude(maventa_id=None)
        .order_by("pk")
        .first()
    )
    if company is None:
        return "no verified Finnish company to show receivables with."
    SandboxControl(settings.MAVENTA_SANDBOX_URL).receivables_demo(str(company.maventa_id))
    assignments = sync_assignments(company=company)
    threads = sync_message_threads(company=company)
    return (
        f"receivables active for {company.name}: {assignments.created} assignments, "
        f"{threads.created} conversation{'' if threads.created == 1 else 's'} with Amili."
    )
