"""Bulk profile registration on the bulk-run engine, against the sandbox over real HTTP."""

from __future__ import annotations

import pytest
from django.utils import timezone

from companies.bulk_kinds import start_registration_run
from companies.models import NetworkProfile
from maventa_portal.core.bulk.engine import DRAIN_TASK, drain
from maventa_portal.core.bulk.runs import retry_failed
from maventa_portal.core.bulk.selectors import counts
from maventa_portal.core.models import BulkItem

pytestmark = pytest.mark.sandbox


def register_in_bulk(companies, **options):
    return start_registration_run(
        companies=companies,
        **{"network": "PEPPOL", "profiles": ["INVOICE_AND_CREDIT_NOTE"], **options},
    )


@pytest.mark.slow
def test_200_companies_with_5_percent_errors_end_registered_or_with_a_reason(
    sandbox, make_company, sync_tasks
):
    companies = [make_company(country=("FI", "NO", "SE", "NL")[n % 4]) for n in range(200)]
    sandbox.set_faults(seed=2026, error_rate=0.05, error_statuses=[503, 500])

    run = register_in_bulk(companies, include_visma=True)

    run.refresh_from_db()
    found = counts(run)
    assert run.finished_at is not None
    assert found["total"] == 200
    assert found["done"] + found["failed"] == 200
    assert found["failed"] > 0, "5% injected errors should fail some registrations"
    failed = run.items.filter(status=BulkItem.Status.FAILED)
    assert all(item.message for item in failed)
    done_ids = run.items.filter(status="done").values_list("object_id", flat=True)
    registered = NetworkProfile.objects.filter(company_id__in=done_ids, network="PEPPOL")
    assert registered.count() == found["done"]

    sandbox.reset()
    retried = retry_failed(run=run, actor=None)

    assert retried == found["failed"]
    assert counts(run)["done"] == 200
    peppol = NetworkProfile.objects.filter(network="PEPPOL").values_list("company_id", flat=True)
    assert set(peppol) == {c.pk for c in companies}


def test_norwegian_companies_get_ehf30_when_no_version_is_chosen(sandbox, make_company, sync_tasks):
    norwegian, finnish = make_company(country="NO"), make_company(country="FI")

    register_in_bulk(
        [norwegian, finnish], profiles=["INVOICE_AND_CREDIT_NOTE", "ORDER"], include_visma=True
    )

    versions = dict(
        NetworkProfile.objects.filter(network="PEPPOL").values_list(
            "company__country", "profile_version"
        )
    )
    assert versions == {"NO": "EHF30", "FI": "PEPPOLBIS30"}


def test_registering_again_changes_nothing_and_says_so(sandbox, make_company, sync_tasks):
    company = make_company()
    register_in_bulk([company], network="VISMA")

    second = register_in_bulk([company], network="VISMA")

    item = second.items.get()
    assert item.status == "done"
    assert "already pending" in item.message or "already active" in item.message
    assert NetworkProfile.objects.filter(company=company).count() == 1
    assert sandbox.requests_to("POST /ax/v1/company/profiles") == 1


def test_peppol_without_visma_fails_with_advice_and_a_retry_with_visma_first_succeeds(
    sandbox, make_company, sync_tasks
):
    company = make_company()
    run = register_in_bulk([company])
    item = run.items.get()
    assert item.status == "failed"
    assert "Retry with “Register VISMA invoice receiving first” ticked" in item.message

    retry_failed(run=run, actor=None, options={**run.options, "include_visma": True})

    item.refresh_from_db()
    run.refresh_from_db()
    assert item.status == "done"
    assert run.options["include_visma"] is True
    assert "VISMA first" in run.title
    networks = set(NetworkProfile.objects.filter(company=company).values_list("network", flat=True))
    assert networks == {"VISMA", "PEPPOL"}


def test_long_retry_after_puts_the_company_back_for_later(sandbox, make_company, sync_tasks):
    from django_q.models import Schedule

    company = make_company()
    sandbox.script(
        {"method": "POST", "path": "/v1/company/profiles", "status": 429, "retry_after": 600}
    )

    run = register_in_bulk([company], network="VISMA")

    item = run.items.get()
    assert item.status == "pending"
    assert "asked us to slow down" in item.message
    schedule = Schedule.objects.get(func=DRAIN_TASK)
    assert schedule.args == f"({run.pk},)"
    assert 590 <= (schedule.next_run - item.updated_at).total_seconds() <= 610
    run.refresh_from_db()
    assert run.finished_at is None

    sandbox.reset()
    BulkItem.objects.filter(pk=item.pk).update(not_before=timezone.now())
    drain(run.pk)

    item.refresh_from_db()
    assert item.status == "done"
