"""The event log in the admin: read-only, escaped, "Reprocess" for operators only and audited."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from exchange.models import WebhookEvent
from exchange.webhooks.ingest import store_event
from maventa_portal.core.models import AuditEntry
from tests.factories import CompanyFactory, UserFactory

from .conftest import sample

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:exchange_webhookevent_changelist"


def stored(payload: dict, state: str = WebhookEvent.State.FAILED) -> WebhookEvent:
    store_event(body=json.dumps(payload).encode(), headers={"User-Agent": "x"}, remote_addr=None)
    event = WebhookEvent.objects.latest("pk")
    WebhookEvent.objects.filter(pk=event.pk).update(state=state)
    return event


def test_operator_reprocesses_and_the_action_is_audited(
    operator_client, django_capture_on_commit_callbacks, sync_tasks
):
    payload = sample("company_authorization_verified")
    company = CompanyFactory(maventa_id=payload["company_id"], company_state="UNVERIFIED")
    event = stored(payload, state=WebhookEvent.State.UNMATCHED)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse(CHANGELIST), {"action": "reprocess", "_selected_action": [event.pk]}
        )

    assert response.status_code == HTTPStatus.FOUND
    event.refresh_from_db()
    assert event.state == WebhookEvent.State.PROCESSED
    company.refresh_from_db()
    assert company.is_verified
    entry = AuditEntry.objects.get(event="webhook.reprocess")
    assert entry.actor.username == "olga-operator"
    assert entry.asked == {"events": [event.pk]}
    assert entry.outcome == AuditEntry.Outcome.DONE


def test_viewer_is_refused_reprocess_and_nothing_changes(viewer_client):
    event = stored(sample("invoice_failed"))

    response = viewer_client.post(
        reverse(CHANGELIST), {"action": "reprocess", "_selected_action": [event.pk]}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    event.refresh_from_db()
    assert event.state == WebhookEvent.State.FAILED
    assert not AuditEntry.objects.filter(event="webhook.reprocess").exists()


def test_viewer_cannot_change_or_delete_an_event(viewer_client, operator_client):
    event = stored(sample("invoice_failed"))

    for client in (viewer_client, operator_client):
        change = client.post(
            reverse("admin:exchange_webhookevent_change", args=[event.pk]), {"state": "PROCESSED"}
        )
        delete = client.post(
            reverse("admin:exchange_webhookevent_delete", args=[event.pk]), {"post": "yes"}
        )
        assert change.status_code == HTTPStatus.FORBIDDEN
        assert delete.status_code == HTTPStatus.FORBIDDEN
    event.refresh_from_db()
    assert event.state == WebhookEvent.State.FAILED


def test_superuser_may_delete_an_event(client):
    client.force_login(UserFactory(superuser=True))
    event = stored(sample("invoice_failed"))

    client.post(reverse("admin:exchange_webhookevent_delete", args=[event.pk]), {"post": "yes"})

    assert not WebhookEvent.objects.filter(pk=event.pk).exists()


def test_the_raw_body_is_shown_escaped(viewer_client):
    payload = sample("invoice_failed", data={"error_message": "<script>alert(1)</script>"})
    event = stored(payload)

    page = viewer_client.get(reverse("admin:exchange_webhookevent_change", args=[event.pk]))

    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_the_log_filters_by_state_name_and_company(viewer_client):
    payload = sample("invoice_failed")
    company = CompanyFactory(maventa_id=payload["company_id"])
    stored(payload)
    stored(sample("network_peppol_created"), state=WebhookEvent.State.UNMATCHED)

    by_state = viewer_client.get(reverse(CHANGELIST), {"state__exact": "UNMATCHED"})
    by_company = viewer_client.get(reverse(CHANGELIST), {"company__id__exact": company.pk})
    by_name = viewer_client.get(reverse(CHANGELIST), {"name": "NETWORKS.PEPPOL.CREATED"})

    assert by_state.context["cl"].result_count == 1
    assert by_company.context["cl"].result_count == 1
    assert by_name.context["cl"].result_count == 1


def test_subscriptions_and_reconcile_runs_are_listed(viewer_client):
    for name in ("webhooksubscription", "reconcilerun"):
        response = viewer_client.get(reverse(f"admin:exchange_{name}_changelist"))
        assert response.status_code == HTTPStatus.OK


def test_the_log_costs_the_same_queries_for_many_rows(viewer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(n: int) -> int:
        for i in range(n):
            company = CompanyFactory()
            stored(sample("invoice_failed", company_id=str(company.maventa_id), data={"n": i}))
        with CaptureQueriesContext(connection) as queries:
            assert viewer_client.get(reverse(CHANGELIST)).status_code == HTTPStatus.OK
        return len(queries)

    assert page_queries(3) == page_queries(20)


def test_the_log_says_how_webhooks_are_doing_and_what_reconcile_found(viewer_client):
    from exchange.models import ReconcileRun

    stored(sample("invoice_failed"))
    stored(sample("invoice_delivered"), state=WebhookEvent.State.RECEIVED)
    stored(sample("network_peppol_created"), state=WebhookEvent.State.UNMATCHED)
    run = ReconcileRun.objects.create(
        findings=[
            {
                "kind": "sent invoice",
                "object": "<b>1001</b>",
                "change": "PENDING -> DELIVERED",
                "webhook": "no webhook arrived",
            }
        ]
    )

    page = viewer_client.get(reverse(CHANGELIST)).content.decode()
    detail = viewer_client.get(reverse("admin:exchange_reconcilerun_change", args=[run.pk]))

    assert "3 in the last hour" in page
    assert "1 unprocessed · 1 failed · 1 unmatched" in page
    assert "1 missed by webhooks" in page
    html = detail.content.decode()
    assert "sent invoice &lt;b&gt;1001&lt;/b&gt;: PENDING -&gt; DELIVERED" in html
