"""Collection cases for staff: the list with its overview, a case's page, adding an event."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from maventa_portal.core.models import AuditEntry
from receivables.models import Assignment
from receivables.services import sync_assignments
from tests.factories import CompanyFactory


def _cases(sandbox, company) -> list[Assignment]:
    sandbox.create_assignment(
        str(company.maventa_id),
        debtor_name="Velallinen Oy",
        amount=120.0,
        due_date=(timezone.localdate() - timedelta(days=3)).isoformat(),
    )
    sync_assignments(company=company)
    return list(Assignment.objects.filter(company=company))


def test_the_list_counts_overdue_cases_and_links_each(sandbox, make_company, viewer_client):
    case = _cases(sandbox, make_company())[0]

    page = viewer_client.get(reverse("receivables:assignments"))

    assert page.context["overview"] == {"open": 1, "soon_due": 0, "overdue": 1}
    assert reverse("receivables:assignment", args=[case.pk]) in page.content.decode()


def test_a_direct_payment_reaches_amili_and_the_case_moves(
    sandbox, make_company, operator_client, operator
):
    case = _cases(sandbox, make_company())[0]

    response = operator_client.post(
        reverse("receivables:assignment_event", args=[case.pk]), {"type": "paid", "amount": "20.00"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Assignment.Status.PARTIALLY_CLOSED
    assert case.events.filter(type="paid").exists()
    entry = AuditEntry.objects.get(event="receivables.add_event")
    assert (entry.actor, entry.outcome) == (operator, "done")


def test_a_payment_without_an_amount_is_refused_before_any_call(
    sandbox, make_company, operator_client
):
    case = _cases(sandbox, make_company())[0]

    response = operator_client.post(
        reverse("receivables:assignment_event", args=[case.pk]), {"type": "paid"}
    )

    assert response.status_code == 200
    assert "Give the amount paid or credited." in response.content.decode()
    assert not AuditEntry.objects.filter(event="receivables.add_event").exists()


def test_viewers_read_the_case_and_add_nothing(sandbox, make_company, viewer_client):
    case = _cases(sandbox, make_company())[0]

    page = viewer_client.get(reverse("receivables:assignment", args=[case.pk])).content.decode()
    refused = viewer_client.post(
        reverse("receivables:assignment_event", args=[case.pk]), {"type": "comment", "message": "x"}
    )

    assert "Velallinen Oy" in page
    assert 'id="add-event"' not in page
    assert refused.status_code == 403


def test_a_case_links_its_invoice_by_maventa_s_id(db, viewer_client):
    company = CompanyFactory()
    linked = Assignment.objects.create(
        company=company, maventa_id="a-1", invoice_id="0b6a4b8e-3c53-4d0e-9a64-1d2f3b4c5d6e"
    )
    odd = Assignment.objects.create(company=company, maventa_id="a-2", invoice_id="INV-12")

    linked_page = viewer_client.get(reverse("receivables:assignment", args=[linked.pk]))
    odd_page = viewer_client.get(reverse("receivables:assignment", args=[odd.pk]))

    target = reverse("exchange:by_maventa_id", args=[linked.invoice_id])
    assert target in linked_page.content.decode()
    assert odd_page.status_code == 200
    assert "INV-12" in odd_page.content.decode()
