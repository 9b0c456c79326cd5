"""Sent invoices still moving, polled from the sandbox over HTTP (exchange.services.status)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from companies.access import company_api
from exchange.models import Invoice, InvoiceAction
from exchange.services.mirror import apply_remote
from exchange.services.status import moving_sent_invoices, refresh_sent
from maventa_portal.maventa_api.ax import invoices as ax_invoices

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "einvoices" / "finvoice30-simple.xml"


@pytest.fixture
def held(sandbox):
    """Sends stay PENDING until a test moves them (set_invoice)."""
    sandbox.set_exchange(invoice_delivery_seconds=3600)
    return sandbox


def sent_invoice(company) -> Invoice:
    """An invoice sent through the client and mirrored, as the sending service leaves it."""
    remote = ax_invoices.send_invoice(
        company_api(company, scope=ax_invoices.SCOPE),
        file=SAMPLE.read_bytes(),
        filename="invoice.xml",
        format="FINVOICE30",
    )
    invoice = Invoice(company=company, direction="SENT", sent_at=timezone.now())
    return apply_remote(invoice, remote)


def test_pending_moves_to_delivered_with_its_actions_recorded_once(held, make_company):
    invoice = sent_invoice(make_company())
    assert invoice.status == "PENDING"
    held.set_invoice(str(invoice.maventa_id), status="DELIVERED")

    assert refresh_sent() == {"polled": 1, "changed": 1, "failed": 0}

    invoice.refresh_from_db()
    assert invoice.status == "DELIVERED"
    types = list(invoice.actions.values_list("type", flat=True))
    assert "DELIVERED" in types
    assert invoice.actions.filter(type="DELIVERED", source="POLL").count() == 1
    count = invoice.actions.count()

    assert refresh_sent() == {"polled": 1, "changed": 0, "failed": 0}, "delivered: still watched"
    assert invoice.actions.count() == count


def test_pending_moves_to_failed_with_maventa_s_reason(held, make_company):
    invoice = sent_invoice(make_company())
    held.set_invoice(str(invoice.maventa_id), status="FAILED", message="Recipient unknown")

    refresh_sent()

    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert invoice.error == "Recipient unknown"
    assert invoice.actions.filter(type="ERROR").count() == 1
    assert invoice not in moving_sent_invoices(), "a failed send moves no more"


def test_delivered_then_failed_is_caught_within_the_week(held, make_company):
    invoice = sent_invoice(make_company())
    held.set_invoice(str(invoice.maventa_id), status="DELIVERED")
    refresh_sent()
    held.set_invoice(str(invoice.maventa_id), status="FAILED", message="Letter returned")

    refresh_sent()
    refresh_sent()

    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert invoice.error == "Letter returned"
    assert invoice.actions.filter(type="ERROR").count() == 1


def test_delivered_more_than_a_week_ago_and_drafts_are_left_alone(held, make_company):
    company = make_company()
    old = sent_invoice(company)
    held.set_invoice(str(old.maventa_id), status="DELIVERED")
    refresh_sent()
    Invoice.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - timedelta(days=8))
    Invoice.objects.create(company=company, direction="SENT", status="DRAFT")
    Invoice.objects.create(company=company, direction="RECEIVED", status="PENDING")
    calls = held.requests_to(f"GET /ax/v1/invoices/{old.maventa_id}")

    assert refresh_sent() == {"polled": 0, "changed": 0, "failed": 0}
    assert held.requests_to(f"GET /ax/v1/invoices/{old.maventa_id}") == calls


def test_a_run_is_bounded_and_the_next_takes_those_polled_longest_ago(held, make_company):
    company = make_company()
    invoices = [sent_invoice(company) for _ in range(3)]

    assert refresh_sent(limit=2)["polled"] == 2
    assert refresh_sent(limit=2)["polled"] == 2

    polled = [held.requests_to(f"GET /ax/v1/invoices/{i.maventa_id}") for i in invoices]
    assert sorted(polled) == [1, 1, 2], "the one left out first is polled first next time"


def test_a_company_failing_does_not_stop_the_others(held, make_company):
    good, bad = make_company(), make_company()
    ok = sent_invoice(good)
    broken = [sent_invoice(bad), sent_invoice(bad)]
    bad.credential.delete()
    held.set_invoice(str(ok.maventa_id), status="DELIVERED")

    counts = refresh_sent()

    assert counts == {"polled": 1, "changed": 1, "failed": 1}, "the company's second is skipped"
    ok.refresh_from_db()
    assert ok.status == "DELIVERED"
    assert all(Invoice.objects.get(pk=i.pk).status == "PENDING" for i in broken)
    assert InvoiceAction.objects.filter(invoice__in=broken, source="POLL").count() == 0
