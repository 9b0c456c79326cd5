"""Staff fetching received invoices now: a bulk run over the chosen companies, or all."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from exchange.models import Invoice
from maventa_portal.core.models import AuditEntry, BulkRun

URL = reverse("exchange:fetch")


def _incoming(sandbox, company, count):
    since = timezone.now() - timedelta(days=2)
    return sandbox.incoming(str(company.maventa_id), count=count, since=since)


def test_the_chosen_companies_are_fetched_as_one_audited_run(
    sandbox, make_company, operator_client, operator, sync_tasks
):
    chosen, other = make_company(), make_company()
    _incoming(sandbox, chosen, 2)
    _incoming(sandbox, other, 1)
    form = operator_client.get(URL).context["form"]

    response = operator_client.post(
        URL, {"companies": [chosen.pk], "request_key": form.initial["request_key"]}
    )

    run = BulkRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("runs:progress", args=[run.pk])
    assert list(run.items.values_list("object_id", flat=True)) == [chosen.pk]
    assert Invoice.objects.filter(company=chosen).count() == 2
    assert not Invoice.objects.filter(company=other).exists()
    assert AuditEntry.objects.filter(event="bulk.start", actor=operator).exists()


def test_none_chosen_means_every_company_that_can_receive(
    make_company, operator_client, sync_tasks
):
    ready = [make_company(), make_company()]
    make_company(company_state="UNVERIFIED")

    operator_client.post(URL, {"request_key": "k1"})

    run = BulkRun.objects.get()
    assert sorted(run.items.values_list("object_id", flat=True)) == sorted(c.pk for c in ready)


def test_the_same_form_sent_twice_starts_one_run(make_company, operator_client, sync_tasks):
    company = make_company()

    for _ in range(2):
        operator_client.post(URL, {"companies": [company.pk], "request_key": "same"})

    assert BulkRun.objects.count() == 1


def test_a_day_not_begun_is_refused_and_nothing_starts(make_company, operator_client):
    company = make_company()
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = operator_client.post(URL, {"companies": [company.pk], "since": tomorrow})

    assert response.status_code == 200
    assert "Choose a day that has begun" in response.content.decode()
    assert not BulkRun.objects.exists()


def test_with_no_company_able_to_receive_staff_are_told_why(db, operator_client):
    response = operator_client.post(URL, {"request_key": "k"})

    assert "No company can receive yet" in response.content.decode()
    assert not BulkRun.objects.exists()


def test_viewers_may_not_fetch(make_company, viewer_client):
    company = make_company()

    response = viewer_client.post(URL, {"companies": [company.pk]})

    assert response.status_code == 403
    assert not BulkRun.objects.exists()
