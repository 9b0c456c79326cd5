"""DOCUMENTS.<TYPE>.RECEIVED fetches the invoice or document from the sandbox at once."""

from __future__ import annotations

from exchange.models import Document, Invoice, WebhookEvent

from .conftest import sample


def test_invoice_received_fetches_the_invoice_with_its_files(make_company, sandbox, post_webhook):
    company = make_company()
    remote = sandbox.incoming(str(company.maventa_id), count=1)[0]
    payload = sample(
        "invoice_received",
        company_id=str(company.maventa_id),
        data={"invoice_id": remote["id"], "invoice_number": remote.get("number", "")},
    )

    post_webhook(payload)
    calls = sandbox.requests_to(f"GET /ax/v1/invoices/{remote['id']}")
    post_webhook(payload)

    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.PROCESSED, event.outcome
    assert (event.times_seen, event.attempts) == (2, 1)
    invoice = Invoice.objects.get(maventa_id=remote["id"])
    assert (invoice.company, invoice.direction) == (company, "RECEIVED")
    assert invoice.xml
    assert invoice.xml_checksum
    assert sandbox.requests_to(f"GET /ax/v1/invoices/{remote['id']}") == calls, "fetched once"


def test_document_received_fetches_the_document(make_company, sandbox, post_webhook):
    company = make_company()
    remote = sandbox.incoming(str(company.maventa_id), count=1, document_type="ORDER")[0]
    payload = {
        "event": "DOCUMENTS.ORDER.RECEIVED",
        "company_id": str(company.maventa_id),
        "event_timestamp": "2026-01-05T10:00:00+02:00",
        "event_data": {"document_id": remote["id"], "document_type": "ORDER"},
    }

    post_webhook(payload)

    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.PROCESSED, event.outcome
    document = Document.objects.get(maventa_id=remote["id"])
    assert (document.company, document.direction, document.type) == (company, "RECEIVED", "ORDER")
    assert document.file


def test_a_fetch_that_fails_is_recorded_for_the_sweep(make_company, sandbox, post_webhook):
    company = make_company()
    payload = sample("invoice_received", company_id=str(company.maventa_id))

    post_webhook(payload)

    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.FAILED
    assert event.attempts == 1
    assert event.outcome
    assert event.lease_until > event.updated_at, "the sweep waits its backoff"
