"""Chaos: the sandbox's events delivered with losses, repeats and in any order by concurrent
clients; then ``reconcile``. The portal then holds exactly the sandbox's state, each distinct
event stored once and applied once.

The events are the sandbox's own record (what its webhooks carry), posted over real HTTP by
``CLIENTS`` threads: ``DROP`` of them never arrive, ``DUPLICATE`` arrive twice, all shuffled.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone

from companies.models import Company, NetworkProfile
from exchange.models import Invoice, WebhookEvent
from exchange.webhooks.reconcile import reconcile

from .conftest import SECRET
from .test_end_to_end import sent_invoice

pytestmark = pytest.mark.slow

CLIENTS = 8
DROP, DUPLICATE = 0.2, 0.3
COMPANIES = 8
SENT_PER_COMPANY = 75
RECEIVED_PER_COMPANY = 40
UNVERIFIED = 3


def _deliver(url: str, bodies: list[dict]) -> Counter:
    """Posts the bodies from CLIENTS threads, each taking the next; the answers counted."""
    answers: Counter = Counter()
    lock = threading.Lock()
    queue = list(bodies)

    def client() -> None:
        session = requests.Session()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                status = session.post(url, json=body, timeout=30).status_code
                with lock:
                    answers[status] += 1
        finally:
            session.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return answers


def _made(sandbox, make_company) -> list[Company]:
    sandbox.set_exchange(
        invoice_delivery_seconds=0,
        invoice_failure_rate=0.2,
        late_failure_rate=0.2,
        late_failure_seconds=0,
        seed=7,
    )
    companies = [make_company() for _ in range(COMPANIES)]
    since = timezone.now() - timedelta(days=1)
    for company in companies:
        for _ in range(SENT_PER_COMPANY):
            sent_invoice(company)
        # Arrived lately: the portal's first fetch of a company looks 30 days back.
        sandbox.incoming(str(company.maventa_id), count=RECEIVED_PER_COMPANY, since=since)
    waiting = [make_company(company_state="UNVERIFIED") for _ in range(UNVERIFIED)]
    for company in waiting:
        sandbox.set_company(str(company.maventa_id), company_state="VERIFIED")
    for _ in range(10):  # until every due change (deliveries, then late failures) is made
        if not any(sandbox.tick().values()):
            break
    return companies + waiting


def test_lost_repeated_and_shuffled_deliveries_then_reconcile_match_the_sandbox(
    make_company, sandbox, live_server, sync_tasks, webhook_secret
):
    companies = _made(sandbox, make_company)
    events = [
        {key: value for key, value in event.items() if key != "id"}
        for company in companies
        for event in sandbox.events(company_id=str(company.maventa_id))
    ]
    chance = random.Random(16)  # noqa: S311 - a repeatable shuffle, not a secret
    arriving = [e for e in events if chance.random() >= DROP]
    deliveries = arriving + [e for e in arriving if chance.random() < DUPLICATE]
    chance.shuffle(deliveries)

    answers = _deliver(f"{live_server.url}/webhooks/maventa/?secret={SECRET}", deliveries)
    # A pass polls a bounded number of sends (the least recently polled first): hourly runs
    # work a backlog through; here they run back to back until one finds nothing more.
    runs = []
    while len(runs) < 5 and (not runs or runs[-1].findings):
        runs.append(reconcile(trigger="test"))

    assert answers == {204: len(deliveries)}
    assert [run.errors for run in runs] == [[]] * len(runs)
    assert runs[0].findings, "what was dropped is found"
    stored = WebhookEvent.objects.all()
    assert stored.count() == len({repr(sorted(e.items())) for e in arriving})
    assert sum(stored.values_list("times_seen", flat=True)) == len(deliveries)
    assert set(stored.values_list("state", "attempts")) == {(WebhookEvent.State.PROCESSED, 1)}
    for company in companies:
        remote = {
            i["id"]: i["status"]
            for i in sandbox.invoices_of(str(company.maventa_id), direction="SENT")
        }
        local = {
            str(i.maventa_id): i.status
            for i in Invoice.objects.filter(company=company, direction="SENT")
        }
        assert local == remote, company
        received_remote = {
            i["id"] for i in sandbox.invoices_of(str(company.maventa_id), direction="RECEIVED")
        }
        received_local = {
            str(pk)
            for pk in Invoice.objects.filter(company=company, direction="RECEIVED").values_list(
                "maventa_id", flat=True
            )
        }
        assert received_local == received_remote, company
        company.refresh_from_db()
        assert company.company_state == sandbox.company(str(company.maventa_id))["company_state"]
        registrations = {r["id"]: r["status"] for r in sandbox.profiles_of(str(company.maventa_id))}
        profiles = {
            str(p.maventa_id): p.status for p in NetworkProfile.objects.filter(company=company)
        }
        assert profiles == registrations, company
    assert len(events) >= 1000, "the issue's thousand events"
    connection.close()
