"""Each sample delivery applied: invoices, documents, profiles, KYC; once, in order, or not."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from companies.models import Company, NetworkProfile
from exchange.models import Document, Invoice, InvoiceAction, WebhookEvent
from exchange.webhooks.ingest import store_event
from exchange.webhooks.processing import process_event, sweep
from tests.factories import CompanyFactory

from .conftest import sample

pytestmark = pytest.mark.django_db

State = WebhookEvent.State


def sent_invoice(payload: dict, **fields) -> Invoice:
    company = Company.objects.filter(maventa_id=payload["company_id"]).first() or CompanyFactory(
        maventa_id=payload["company_id"]
    )
    fields.setdefault("status", "PENDING")
    return Invoice.objects.create(
        company=company,
        direction="SENT",
        maventa_id=payload["event_data"]["invoice_id"],
        number=payload["event_data"]["invoice_number"],
        **fields,
    )


def test_invoice_delivered_moves_the_sent_invoice_and_its_timeline(post_webhook):
    payload = sample("invoice_delivered")
    invoice = sent_invoice(payload)

    post_webhook(payload)

    invoice.refresh_from_db()
    assert invoice.status == "DELIVERED"
    assert invoice.status_changed_at == datetime.fromisoformat(payload["event_timestamp"])
    action = invoice.actions.get()
    assert (action.type, action.source) == ("DELIVERED", "WEBHOOK")
    event = WebhookEvent.objects.get()
    assert event.state == State.PROCESSED
    assert "PENDING -> DELIVERED" in event.outcome
    assert event.processed_at is not None


def test_invoice_failed_records_maventa_s_reason(post_webhook):
    payload = sample("invoice_failed")
    invoice = sent_invoice(payload)

    post_webhook(payload)

    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert invoice.error == "Error that happened"
    assert invoice.actions.get().type == "ERROR"


def test_failed_after_delivered_wins(post_webhook):
    delivered = sample("invoice_delivered")
    failed = sample(
        "invoice_failed",
        event_timestamp="2019-11-23T13:00:00+02:00",
        data={"invoice_id": delivered["event_data"]["invoice_id"]},
    )
    invoice = sent_invoice(delivered)

    post_webhook(delivered)
    post_webhook(failed)

    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert list(invoice.actions.values_list("type", flat=True)) == ["DELIVERED", "ERROR"]


def test_an_older_delivered_after_failed_leaves_failed(post_webhook):
    failed = sample("invoice_failed", event_timestamp="2019-11-23T13:00:00+02:00")
    late = sample(
        "invoice_delivered",
        event_timestamp="2019-11-23T12:00:00+02:00",
        data={"invoice_id": failed["event_data"]["invoice_id"]},
    )
    invoice = sent_invoice(failed)

    post_webhook(failed)
    post_webhook(late)

    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert invoice.error == "Error that happened"
    late_event = WebhookEvent.objects.get(name="DOCUMENTS.INVOICE.DELIVERED")
    assert late_event.state == State.PROCESSED
    assert "stays FAILED" in late_event.outcome
    assert invoice.actions.filter(type="DELIVERED").exists(), "still part of the timeline"


def test_an_event_older_than_a_polled_status_does_not_move_it(post_webhook):
    payload = sample("invoice_failed")
    invoice = sent_invoice(payload, status="DELIVERED", status_changed_at=timezone.now())

    post_webhook(payload)

    invoice.refresh_from_db()
    assert invoice.status == "DELIVERED"


def test_an_invoice_the_portal_does_not_hold_is_left_alone(post_webhook):
    payload = sample("invoice_delivered")
    CompanyFactory(maventa_id=payload["company_id"])

    post_webhook(payload)

    event = WebhookEvent.objects.get()
    assert event.state == State.PROCESSED
    assert "nothing to update" in event.outcome
    assert not Invoice.objects.exists()


def test_document_delivery_updates_the_sent_document(post_webhook):
    company = CompanyFactory()
    document = Document.objects.create(
        company=company,
        direction="SENT",
        maventa_id="5d7c1b0e-4b7a-4a3e-9d0a-8c1f2e3d4a5b",
        type="ORDER",
        status="PROCESSING",
    )
    payload = {
        "event": "DOCUMENTS.ORDER.FAILED",
        "company_id": str(company.maventa_id),
        "event_timestamp": "2026-01-05T10:00:00+02:00",
        "event_data": {
            "document_id": str(document.maventa_id),
            "document_type": "ORDER",
            "error_message": "Recipient closed",
        },
    }

    post_webhook(payload)

    document.refresh_from_db()
    assert document.status == "FAILED"
    assert document.error == "Recipient closed"
    assert [e["code"] for e in document.events] == ["FAILED"]


def test_network_created_registers_the_profile_pending(post_webhook):
    payload = sample("network_peppol_created")
    company = CompanyFactory(maventa_id=payload["company_id"])

    post_webhook(payload)

    profile = NetworkProfile.objects.get(maventa_id=payload["event_data"]["id"])
    assert profile.company == company
    assert (profile.network, profile.status) == ("PEPPOL", NetworkProfile.Status.PENDING)
    assert WebhookEvent.objects.get().state == State.PROCESSED


def test_authorization_verified_verifies_the_company(post_webhook):
    payload = sample("company_authorization_verified")
    company = CompanyFactory(maventa_id=payload["company_id"], company_state="UNVERIFIED")

    post_webhook(payload)

    company.refresh_from_db()
    assert company.company_state == "VERIFIED"
    assert WebhookEvent.objects.get().state == State.PROCESSED


@pytest.mark.parametrize(
    "name",
    [
        "invoice_delivered",
        "invoice_failed",
        "invoice_received",
        "network_peppol_created",
        "company_authorization_verified",
    ],
)
def test_an_event_of_an_unknown_company_is_kept_unmatched(post_webhook, name):
    post_webhook(sample(name))

    event = WebhookEvent.objects.get()
    assert event.state == State.UNMATCHED
    assert event.company is None
    assert event.maventa_company_id == sample(name)["company_id"]


def test_an_unmatched_event_applies_once_its_company_is_linked(post_webhook):
    payload = sample("company_authorization_verified")
    post_webhook(payload)
    company = CompanyFactory(maventa_id=payload["company_id"], company_state="UNVERIFIED")
    event = WebhookEvent.objects.get()
    WebhookEvent.objects.filter(pk=event.pk).update(state=State.FAILED)

    assert process_event(event_id=event.pk) == State.PROCESSED

    event.refresh_from_db()
    assert event.company == company
    company.refresh_from_db()
    assert company.is_verified


def test_a_processed_event_is_not_applied_again(post_webhook):
    payload = sample("invoice_delivered")
    invoice = sent_invoice(payload)
    post_webhook(payload)
    event = WebhookEvent.objects.get()

    assert process_event(event_id=event.pk) == "skipped"
    assert process_event(event_id=event.pk) == "skipped"

    event.refresh_from_db()
    assert event.attempts == 1
    assert InvoiceAction.objects.filter(invoice=invoice).count() == 1


def test_a_failure_is_recorded_and_retried_a_bounded_number_of_times(
    post_webhook, settings, monkeypatch
):
    settings.MAVENTA_WEBHOOK_MAX_ATTEMPTS = 3
    payload = sample("network_peppol_created", data={"id": ""})
    CompanyFactory(maventa_id=payload["company_id"])

    post_webhook(payload)
    event = WebhookEvent.objects.get()
    assert event.state == State.FAILED
    assert "no network profile id" in event.outcome
    for _ in range(5):
        # Each attempt waits its backoff: pretend it has passed.
        assert sweep() == {}, "not before its backoff"
        WebhookEvent.objects.filter(pk=event.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        sweep()

    event.refresh_from_db()
    assert event.attempts == 3
    assert event.state == State.FAILED


def test_sweep_takes_a_received_event_whose_task_was_lost(webhook_secret):
    payload = sample("company_authorization_verified")
    company = CompanyFactory(maventa_id=payload["company_id"], company_state="UNVERIFIED")
    store_event(body=json.dumps(payload).encode(), headers={}, remote_addr=None)  # no on_commit
    event = WebhookEvent.objects.get()
    assert event.state == State.RECEIVED

    assert sweep() == {}, "too fresh: its task may still come"
    WebhookEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - timedelta(minutes=10)
    )
    assert sweep() == {State.PROCESSED: 1}

    company.refresh_from_db()
    assert company.is_verified
