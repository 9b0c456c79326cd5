"""The schedules' polls: every company with receivables mirrored, a failing one skipped."""

from __future__ import annotations

from django.db import IntegrityError

from receivables import tasks
from receivables.models import Assignment, MessageThread, ReceivablesActivation
from receivables.services import polling
from receivables.services.polling import companies_with_receivables
from receivables.services.sync import SyncResult
from tests.factories import CompanyFactory


def test_the_polls_mirror_every_company_with_receivables_and_skip_a_failing_one(
    sandbox, make_company
):
    good, broken = make_company(country="FI"), make_company(country="FI")
    make_company(country="FI")  # no receivables: not polled
    for company in (good, broken):
        sandbox.receivables_demo(str(company.maventa_id))
        MessageThread.objects.create(company=company, maventa_id=f"seed-{company.pk}")
    broken.credential.delete()

    messages = tasks.poll_messages()
    assignments = tasks.poll_assignments()

    assert set(companies_with_receivables()) == {good, broken}
    assert (messages["companies"], messages["failed"]) == (1, 1)
    assert (assignments["companies"], assignments["failed"]) == (1, 1)
    assert MessageThread.objects.filter(company=good).count() > 1
    assert Assignment.objects.filter(company=good).count() >= 3


def test_a_poll_that_lost_an_insert_race_to_an_overlapping_poll_syncs_again(db, monkeypatch):
    company = CompanyFactory()
    ReceivablesActivation.objects.create(company=company, status="ACTIVE")
    calls = []

    def sync(*, company):
        calls.append(company)
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: receivables_message.maventa_id")
        return SyncResult(updated=2)

    monkeypatch.setattr(polling, "sync_message_threads", sync)

    counts = polling.poll_messages()

    assert calls == [company, company]
    assert (counts["companies"], counts["failed"], counts["updated"]) == (1, 0, 2)
