"""Bulk profile registration against the sandbox over real HTTP, tasks run inline."""

from __future__ import annotations

import pytest

from companies.models import BulkRegistrationItem, NetworkProfile
from companies.services.bulk import progress, retry_failed, start_bulk_registration
from companies.tasks import register_profiles_for_item

pytestmark = pytest.mark.sandbox


def test_200_companies_with_5_percent_errors_end_registered_or_with_a_reason(
    sandbox, make_company, sync_tasks
):
    companies = [make_company(country=("FI", "NO", "SE", "NL")[n % 4]) for n in range(200)]
    sandbox.set_faults(seed=2026, error_rate=0.05, error_statuses=[503, 500])

    run = start_bulk_registration(
        company_ids=[c.pk for c in companies],
        network="PEPPOL",
        profiles=["INVOICE_AND_CREDIT_NOTE"],
        include_visma=True,
    )

    run.refresh_from_db()
    counts = progress(run)
    assert run.finished_at is not None
    assert counts["total"] == 200
    assert counts["done"] + counts["failed"] == 200
    assert counts["failed"] > 0, "5% injected errors should fail some registrations"
    failed = run.items.filter(status=BulkRegistrationItem.Status.FAILED)
    assert all(item.message for item in failed)
    done_ids = run.items.filter(status="done").values_list("company_id", flat=True)
    registered = NetworkProfile.objects.filter(company_id__in=done_ids, network="PEPPOL")
    assert registered.count() == counts["done"]

    sandbox.reset()
    retried = retry_failed(run=run)

    assert retried == counts["failed"]
    assert progress(run)["done"] == 200
    peppol = NetworkProfile.objects.filter(network="PEPPOL").values_list("company_id", flat=True)
    assert set(peppol) == {c.pk for c in companies}


def test_norwegian_companies_get_ehf30_when_no_version_is_chosen(sandbox, make_company, sync_tasks):
    norwegian, finnish = make_company(country="NO"), make_company(country="FI")

    start_bulk_registration(
        company_ids=[norwegian.pk, finnish.pk],
        network="PEPPOL",
        profiles=["INVOICE_AND_CREDIT_NOTE", "ORDER"],
        include_visma=True,
    )

    versions = dict(
        NetworkProfile.objects.filter(network="PEPPOL").values_list(
            "company__country", "profile_version"
        )
    )
    assert versions == {"NO": "EHF30", "FI": "PEPPOLBIS30"}


def test_registering_again_changes_nothing_and_says_so(sandbox, make_company, sync_tasks):
    company = make_company()
    arguments = {
        "company_ids": [company.pk],
        "network": "VISMA",
        "profiles": ["INVOICE_AND_CREDIT_NOTE"],
    }
    start_bulk_registration(**arguments)

    second = start_bulk_registration(**arguments)

    item = second.items.get()
    assert item.status == "done"
    assert "already pending" in item.message or "already active" in item.message
    assert NetworkProfile.objects.filter(company=company).count() == 1
    assert sandbox.requests_to("POST /ax/v1/company/profiles") == 1


def test_long_retry_after_puts_the_company_back_for_later(sandbox, make_company, sync_tasks):
    from django_q.models import Schedule

    company = make_company()
    sandbox.script(
        {"method": "POST", "path": "/v1/company/profiles", "status": 429, "retry_after": 600}
    )

    run = start_bulk_registration(
        company_ids=[company.pk], network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"]
    )

    item = run.items.get()
    assert item.status == "pending"
    assert "asked us to slow down" in item.message
    schedule = Schedule.objects.get(func="companies.tasks.register_profiles_for_item")
    assert schedule.args == f"({item.pk},)"
    assert 590 <= (schedule.next_run - item.updated_at).total_seconds() <= 610
    run.refresh_from_db()
    assert run.finished_at is None

    sandbox.reset()
    register_profiles_for_item(item.pk)

    item.refresh_from_db()
    assert item.status == "done"
