"""Concurrent deliveries of one event: one row, applied once.

Threads each have their own database connection, so the deliveries and the processing tasks
really race at the database: the unique dedupe key and the row lock decide. This runs in both
tiers of ``.ci/run``: on SQLite (write transactions serialised at BEGIN) and on PostgreSQL
(``SELECT ... FOR UPDATE SKIP LOCKED``).
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from exchange.models import Invoice, InvoiceAction, WebhookEvent
from exchange.webhooks.ingest import store_event
from exchange.webhooks.processing import process_event
from tests.factories import CompanyFactory

from .conftest import SECRET, sample

DELIVERIES = 8


def _race(work, count: int) -> list:
    """Runs ``work(i)`` in ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.usefixtures("transactional_db", "sync_tasks", "webhook_secret")
def test_concurrent_deliveries_of_one_event_are_stored_and_applied_once():
    payload = sample("invoice_failed")
    company = CompanyFactory(maventa_id=payload["company_id"])
    invoice = Invoice.objects.create(
        company=company,
        direction="SENT",
        status="DELIVERED",
        maventa_id=payload["event_data"]["invoice_id"],
    )
    url = f"{reverse('maventa_webhook')}?secret={SECRET}"
    body = json.dumps(payload)

    answers = _race(
        lambda i: Client().post(url, body, content_type="application/json").status_code,
        DELIVERIES,
    )

    assert answers == [HTTPStatus.NO_CONTENT] * DELIVERIES
    event = WebhookEvent.objects.get()
    assert event.times_seen == DELIVERIES
    assert (event.state, event.attempts) == (WebhookEvent.State.PROCESSED, 1)
    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert InvoiceAction.objects.filter(invoice=invoice).count() == 1


@pytest.mark.usefixtures("transactional_db")
def test_workers_racing_for_one_stored_event_apply_it_once():
    payload = sample("invoice_delivered")
    company = CompanyFactory(maventa_id=payload["company_id"])
    invoice = Invoice.objects.create(
        company=company, direction="SENT", maventa_id=payload["event_data"]["invoice_id"]
    )
    store_event(body=json.dumps(payload).encode(), headers={}, remote_addr=None)
    event = WebhookEvent.objects.get()

    outcomes = _race(lambda i: process_event(event_id=event.pk), DELIVERIES)

    assert sorted(outcomes).count(WebhookEvent.State.PROCESSED) == 1
    assert set(outcomes) == {WebhookEvent.State.PROCESSED, "skipped"}
    event.refresh_from_db()
    assert event.attempts == 1
    assert invoice.actions.count() == 1
