"""The sandbox posting to the portal: a subscription to /webhooks/maventa/ with the secret, the
events of a send and of an arrival delivered by the sandbox's sender and applied here."""

from __future__ import annotations

import time
from pathlib import Path

from django.utils import timezone

from companies.access import company_api
from exchange.models import Invoice, WebhookEvent
from exchange.services.mirror import apply_remote
from maventa_portal.maventa_api.ax import invoices as ax_invoices

from .conftest import SECRET

EINVOICE = Path(__file__).resolve().parents[2] / "fixtures" / "einvoices" / "finvoice30-simple.xml"


def sent_invoice(company) -> Invoice:
    remote = ax_invoices.send_invoice(
        company_api(company, scope=ax_invoices.SCOPE),
        file=EINVOICE.read_bytes(),
        filename="invoice.xml",
        format="FINVOICE30",
    )
    return apply_remote(Invoice(company=company, direction="SENT", sent_at=timezone.now()), remote)


def subscribe(company, destination: str, events: list[str]) -> dict:
    # The subscription client lives elsewhere; the generic call keeps this test about delivery.
    body = {"destination_type": "WEBHOOK", "destination": destination, "events": events}
    return company_api(company).post("/v1/company/notifications", json=body).body()


def until(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def test_sandbox_deliveries_are_authenticated_stored_and_applied(
    make_company, sandbox, live_server, sync_tasks, webhook_secret
):
    sandbox.set_exchange(invoice_delivery_seconds=3600)
    company = make_company()
    subscribe(company, f"{live_server.url}/webhooks/maventa/?secret={SECRET}", ["DOCUMENTS.*.*"])
    invoice = sent_invoice(company)
    sandbox.set_invoice(str(invoice.maventa_id), status="DELIVERED")
    incoming = sandbox.incoming(str(company.maventa_id), count=1)[0]

    sandbox.flush_webhooks(everything=True)
    until(lambda: WebhookEvent.objects.filter(state=WebhookEvent.State.PROCESSED).count() >= 2)

    invoice.refresh_from_db()
    assert invoice.status == "DELIVERED"
    assert invoice.actions.filter(source="WEBHOOK").exists()
    assert Invoice.objects.filter(maventa_id=incoming["id"], direction="RECEIVED").exists()
    assert not WebhookEvent.objects.exclude(state=WebhookEvent.State.PROCESSED).exists()
    assert {d["state"] for d in sandbox.deliveries(company_id=str(company.maventa_id))} == {
        "DELIVERED"
    }


def test_a_subscription_with_a_wrong_secret_delivers_nothing(
    make_company, sandbox, live_server, sync_tasks, webhook_secret
):
    company = make_company(company_state="UNVERIFIED")
    subscribe(
        company, f"{live_server.url}/webhooks/maventa/?secret=nope", ["COMPANIES.AUTHORIZATION.*"]
    )
    sandbox.set_company(str(company.maventa_id), company_state="VERIFIED")

    sandbox.flush_webhooks(everything=True)

    assert not WebhookEvent.objects.exists()
    company.refresh_from_db()
    assert not company.is_verified
    tries = [t for d in sandbox.deliveries() for t in d["tries"]]
    assert tries
    assert {t["status"] for t in tries} == {401}
