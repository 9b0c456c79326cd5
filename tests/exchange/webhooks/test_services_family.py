"""``SERVICES.<SERVICE>.<STATE>`` events: stored as their own family and handed, outside the
processing transaction, to the handler another app registered (core.webhook_handlers)."""

from __future__ import annotations

import pytest
from django.db import connection

from exchange.models import WebhookEvent
from exchange.webhooks.names import family_of
from maventa_portal.core import webhook_handlers
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

State, Family = WebhookEvent.State, WebhookEvent.Family
COMPANY_ID = "0b8c2a4e-1f5d-4c1e-9a57-3c1d2b0e9f11"


def service_event(name: str = "SERVICES.RECEIVABLES.ACTIVATED", **data) -> dict:
    return {
        "event": name,
        "company_id": COMPANY_ID,
        "event_timestamp": "2026-11-26T05:30:00+02:00",
        "event_data": {"id": "5d7e1c8a-0f3b-4b6e-8a7e-1c2d3e4f5a6b", "status": "ACTIVE", **data},
    }


@pytest.fixture
def calls(monkeypatch) -> list[dict]:
    """A handler in place of the receivables app's, recording how it was called."""
    seen: list[dict] = []

    def handler(*, company, name, data):
        seen.append(
            {"company": company, "name": name, "data": data, "atomic": connection.in_atomic_block}
        )
        return "handled here"

    monkeypatch.setattr(webhook_handlers, "_handlers", {"SERVICES.RECEIVABLES.": handler})
    return seen


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("SERVICES.RECEIVABLES.ACTIVATED", Family.SERVICES),
        ("SERVICES.RECEIVABLES.REJECTED", Family.SERVICES),
        ("SERVICES.OP_INVOICE_CREDIT.ACTIVATED", Family.SERVICES),
        ("SERVICES.receivables.ACTIVATED", Family.UNKNOWN),
        ("SERVICES.RECEIVABLES", Family.UNKNOWN),
    ],
)
def test_service_events_are_a_family_of_their_own(name, family):
    assert family_of(name) == family


def test_a_service_event_goes_to_the_registered_handler(post_webhook, calls):
    company = CompanyFactory(maventa_id=COMPANY_ID)

    post_webhook(service_event())

    event = WebhookEvent.objects.get()
    assert (event.family, event.state, event.outcome) == (
        Family.SERVICES,
        State.PROCESSED,
        "handled here",
    )
    [call] = calls
    assert call["company"] == company
    assert call["name"] == "SERVICES.RECEIVABLES.ACTIVATED"
    assert call["data"]["status"] == "ACTIVE"


def test_a_service_event_of_an_unknown_company_is_processed_with_a_note(post_webhook, calls):
    post_webhook(service_event())

    event = WebhookEvent.objects.get()
    assert event.state == State.PROCESSED
    assert COMPANY_ID in event.outcome
    assert calls == []


def test_a_service_nobody_handles_is_stored_with_a_note(post_webhook, calls):
    CompanyFactory(maventa_id=COMPANY_ID)

    post_webhook(service_event("SERVICES.OP_INVOICE_CREDIT.ACTIVATED"))

    event = WebhookEvent.objects.get()
    assert event.state == State.PROCESSED
    assert "Nothing in the portal handles" in event.outcome
    assert calls == []


def test_the_receivables_app_registers_its_handler():
    from receivables.webhooks import on_service_event

    assert webhook_handlers.handler_for("SERVICES.RECEIVABLES.REJECTED") is on_service_event
    assert webhook_handlers.handler_for("SERVICES.OTHER.REJECTED") is None


@pytest.mark.django_db(transaction=True)
def test_the_handler_runs_outside_any_transaction(calls, webhook_secret, sync_tasks):
    from django.test import Client
    from django.urls import reverse

    CompanyFactory(maventa_id=COMPANY_ID)
    Client().post(
        reverse("maventa_webhook") + f"?secret={webhook_secret}",
        service_event(),
        content_type="application/json",
    )

    [call] = calls
    assert call["atomic"] is False
    assert WebhookEvent.objects.get().state == State.PROCESSED
