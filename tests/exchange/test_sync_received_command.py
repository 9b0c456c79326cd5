"""``manage.py sync_received``: companies by any of their ids, ``--since``, one failing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from exchange.management.commands.sync_received import find_company, parse_since
from exchange.models import Invoice, ReceiveWatermark
from maventa_portal.core.models import AuditEntry
from tests.factories import CompanyFactory


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("sync_received", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def incoming(sandbox, company, count: int, days: int = 2) -> list[dict]:
    since = timezone.now() - timedelta(days=days)
    return sandbox.incoming(str(company.maventa_id), count=count, since=since)


def test_chosen_companies_only_each_named_by_any_of_its_ids(sandbox, make_company):
    first, second, third = make_company(), make_company(country="NO"), make_company()
    for company in (first, second, third):
        incoming(sandbox, company, 2)

    out, _ = run(
        "--company",
        str(first.pk),
        "--company",
        second.bid.replace(" ", ""),
        "--company",
        str(third.maventa_id),
    )

    for company in (first, second, third):
        assert f"{company}: 2 new, 0 updated, 0 unchanged. Known up to" in out
    assert "3 companies fetched." in out
    assert Invoice.objects.count() == 6
    # Staff ran it: each company's sync is in the audit trail.
    assert AuditEntry.objects.filter(event="invoices.sync_received").count() == 3


def test_without_company_every_company_that_can_receive(sandbox, make_company):
    ready = make_company()
    make_company(company_state="UNVERIFIED")
    incoming(sandbox, ready, 1)

    out, _ = run()

    assert f"{ready}: 1 new" in out
    assert "1 companies fetched." in out


def test_since_reads_again_from_then(sandbox, make_company):
    company = make_company()
    incoming(sandbox, company, 3, days=5)
    run("--company", str(company.pk))
    mark = ReceiveWatermark.objects.get(company=company).received_until

    out, _ = run(
        "--company", str(company.pk), "--since", f"{(timezone.now() - timedelta(days=6)).date()}"
    )

    assert "No new invoices (3 known)." in out
    assert ReceiveWatermark.objects.get(company=company).received_until >= mark


def test_one_company_failing_is_reported_and_the_others_are_fetched(sandbox, make_company):
    good, bad = make_company(), make_company()
    incoming(sandbox, good, 1)
    bad.credential.delete()
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 of 2 companies failed"):
        call_command(
            "sync_received",
            *("--company", str(bad.pk), "--company", str(good.pk)),
            stdout=out,
            stderr=err,
        )

    assert f"{good}: 1 new" in out.getvalue()
    assert f"{bad}: failed: {bad} has no stored API key" in err.getvalue()


@pytest.mark.django_db
def test_a_company_unknown_or_named_twice_is_refused():
    company = CompanyFactory(country="NO", bid="923609016")
    assert find_company("923 609 016") == company
    assert find_company(str(company.maventa_id)) == company
    assert find_company(str(company.pk)) == company
    with pytest.raises(CommandError, match="No company is 'nobody'"):
        find_company("nobody")
    # A Norwegian business id is all digits: it may also be another company's portal id.
    CompanyFactory(pk=923609016)
    with pytest.raises(CommandError, match="names several companies"):
        find_company("923609016")


def test_since_takes_a_date_or_a_date_time():
    assert parse_since("2026-01-31T12:00:00Z") == datetime(2026, 1, 31, 12, tzinfo=UTC)
    midnight = parse_since("2026-01-31")
    assert timezone.localtime(midnight).hour == 0
    assert parse_since(None) is None
    with pytest.raises(CommandError, match="--since must be an ISO date"):
        parse_since("yesterday")
