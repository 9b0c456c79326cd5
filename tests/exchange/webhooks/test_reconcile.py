"""``reconcile``: what webhooks missed is polled from the sandbox and reported to staff."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from companies.access import company_api
from exchange.models import Invoice, ReconcileRun
from exchange.services.mirror import apply_remote
from maventa_portal.maventa_api.ax import invoices as ax_invoices

from .conftest import sample

EINVOICE = Path(__file__).resolve().parents[2] / "fixtures" / "einvoices" / "finvoice30-simple.xml"


@pytest.fixture
def held(sandbox):
    """Sends stay PENDING until a test moves them."""
    sandbox.set_exchange(invoice_delivery_seconds=3600)
    return sandbox


def sent_invoice(company) -> Invoice:
    remote = ax_invoices.send_invoice(
        company_api(company, scope=ax_invoices.SCOPE),
        file=EINVOICE.read_bytes(),
        filename="invoice.xml",
        format="FINVOICE30",
    )
    return apply_remote(Invoice(company=company, direction="SENT", sent_at=timezone.now()), remote)


def run_command() -> str:
    out = StringIO()
    call_command("reconcile", stdout=out)
    return out.getvalue()


def test_reconcile_catches_what_no_webhook_told_and_records_it(held, make_company):
    company = make_company()
    waiting = make_company(company_state="UNVERIFIED")
    invoice = sent_invoice(company)
    held.set_invoice(str(invoice.maventa_id), status="DELIVERED")
    incoming = held.incoming(str(company.maventa_id), count=1)[0]
    held.set_company(str(waiting.maventa_id), company_state="VERIFIED")

    output = run_command()

    invoice.refresh_from_db()
    waiting.refresh_from_db()
    assert invoice.status == "DELIVERED"
    assert waiting.is_verified
    assert Invoice.objects.filter(maventa_id=incoming["id"], direction="RECEIVED").exists()
    run = ReconcileRun.objects.get()
    found = {(f["kind"], f["change"]) for f in run.findings}
    assert ("sent invoice", "PENDING -> DELIVERED") in found
    assert ("received invoice", "fetched") in found
    assert ("company", "UNVERIFIED -> VERIFIED") in found
    assert run.errors == []
    assert run.finished_at is not None
    assert "missed by webhooks: sent invoice" in output

    run_command()

    assert ReconcileRun.objects.latest("started_at").findings == [], "nothing new the second time"


def test_a_change_a_webhook_told_is_no_finding(held, make_company, post_webhook):
    company = make_company()
    invoice = sent_invoice(company)
    held.set_invoice(str(invoice.maventa_id), status="DELIVERED")
    post_webhook(
        sample(
            "invoice_delivered",
            company_id=str(company.maventa_id),
            event_timestamp=timezone.now().isoformat(),
            data={"invoice_id": str(invoice.maventa_id)},
        )
    )
    invoice.refresh_from_db()
    assert invoice.status == "DELIVERED"

    run_command()

    kinds = {f["kind"] for f in ReconcileRun.objects.get().findings}
    assert "sent invoice" not in kinds


def test_a_failing_step_is_recorded_and_the_others_run(held, make_company, monkeypatch):
    from exchange.webhooks import reconcile as fallback

    def broken(findings):
        raise RuntimeError("boom")

    monkeypatch.setattr(fallback, "_sent_documents", broken)
    company = make_company()
    held.incoming(str(company.maventa_id), count=1)

    with pytest.raises(CommandError, match="sent_documents"):
        run_command()

    run = ReconcileRun.objects.get()
    assert run.counts["received"]["invoices"] == 1
    assert len(run.errors) == 1
