"""Service levels: mirrored with the debtors of the cases, set for chosen customers as a run."""

from __future__ import annotations

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from maventa_portal.core.models import AuditEntry, BulkRun
from maventa_portal.maventa_api import receivables as rcv
from receivables.models import ServiceLevel
from receivables.services import sync_assignments
from receivables.services.service_levels import sync_levels

CHANGELIST = "admin:receivables_servicelevel_changelist"


def _customers(sandbox, company) -> list[ServiceLevel]:
    for bid in ("2660421-6", "1234567-1"):
        sandbox.create_assignment(str(company.maventa_id), debtor_name=bid, debtor_bid=bid)
    sync_assignments(company=company)
    sync_levels(company=company)
    return list(ServiceLevel.objects.filter(company=company))


def test_the_debtors_are_known_at_default_until_set(sandbox, make_company):
    rows = _customers(sandbox, make_company())

    assert sorted(r.customer_bid for r in rows) == ["1234567-1", "2660421-6"]
    assert {r.level for r in rows} == {"default"}


def test_operators_set_the_level_of_chosen_customers_as_one_run(
    sandbox, make_company, operator_client, sync_tasks
):
    company = make_company()
    rows = _customers(sandbox, company)
    chosen = {ACTION_CHECKBOX_NAME: [rows[0].pk], "action": "set_levels"}

    form_page = operator_client.post(reverse(CHANGELIST), chosen)
    response = operator_client.post(
        reverse(CHANGELIST), {**chosen, "apply": "1", "level": "vip", "request_key": "k"}
    )

    assert form_page.status_code == 200
    run = BulkRun.objects.get()
    assert response["Location"] == reverse("runs:progress", args=[run.pk])
    rows[0].refresh_from_db()
    assert rows[0].level == "vip"
    sync_levels(company=company)
    rows[0].refresh_from_db()
    assert rows[0].level == "vip", "Maventa lists it now"
    assert AuditEntry.objects.filter(event="receivables.set_service_level", outcome="done").exists()


def test_viewers_are_not_offered_the_action(sandbox, make_company, viewer_client):
    _customers(sandbox, make_company())

    page = viewer_client.get(reverse(CHANGELIST)).content.decode()

    assert "set_levels" not in page


def test_a_level_maventa_stops_listing_is_default_again_and_many_customers_cost_few_queries(
    monkeypatch, make_company, django_assert_max_num_queries
):
    company = make_company()
    listed = [rcv.ServiceLevel(customer_bid=f"{n:07d}-0", service_level="vip") for n in range(300)]
    monkeypatch.setattr(rcv, "list_service_levels", lambda api: list(listed))
    sync_levels(company=company)
    listed.pop(0)

    with django_assert_max_num_queries(12):
        known = sync_levels(company=company)

    assert known == 300
    assert ServiceLevel.objects.get(customer_bid="0000000-0").level == "default"
    assert ServiceLevel.objects.filter(company=company, level="vip").count() == 299
