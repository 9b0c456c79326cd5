"""Webhook subscriptions registered at the sandbox over HTTP, and the sandbox posting to them."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from companies.access import company_api
from exchange.models import WebhookEvent, WebhookSubscription
from exchange.services import subscriptions
from maventa_portal.core.errors import Refused
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api.ax import notifications

SECRET = "subscription-test-secret"  # noqa: S105 - a test value


@pytest.fixture
def portal_url(settings, live_server):
    settings.PORTAL_PUBLIC_URL = live_server.url
    settings.MAVENTA_WEBHOOK_SECRET = SECRET
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET = ""
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = None
    settings.MAVENTA_WEBHOOK_AUTH = "query"
    return live_server.url


def until(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def test_a_company_subscribes_and_maventa_s_events_arrive(
    sandbox, make_company, portal_url, operator, sync_tasks
):
    company = make_company()

    subscription = subscriptions.subscribe_company(company=company)

    assert subscription.destination == f"{portal_url}/webhooks/maventa/"
    assert SECRET not in subscription.destination
    assert subscription.events == list(subscriptions.DEFAULT_EVENTS)
    sandbox.incoming(str(company.maventa_id), count=1)
    sandbox.flush_webhooks(everything=True)
    until(lambda: WebhookEvent.objects.filter(name="DOCUMENTS.INVOICE.RECEIVED").exists())
    entry = AuditEntry.objects.get(event="webhooks.subscribe")
    assert entry.company_id == company.pk
    assert SECRET not in str(entry.asked) + entry.reason


def test_subscribing_again_is_refused_and_a_lost_answer_makes_no_second_one(
    sandbox, make_company, portal_url
):
    company = make_company()
    first = subscriptions.subscribe_company(company=company)

    with pytest.raises(Refused, match="already has a live subscription"):
        subscriptions.subscribe_company(company=company)
    WebhookSubscription.objects.filter(pk=first.pk).delete()  # as if the answer was lost
    again = subscriptions.subscribe_company(company=company)

    assert again.maventa_id == first.maventa_id, "the one at Maventa adopted"


def test_unsubscribing_deletes_it_at_maventa(sandbox, make_company, portal_url):
    company = make_company()
    subscription = subscriptions.subscribe_company(company=company)

    subscriptions.unsubscribe(subscription=subscription)

    subscription.refresh_from_db()
    assert subscription.deleted_at is not None
    sandbox.incoming(str(company.maventa_id), count=1)
    sandbox.flush_webhooks(everything=True)
    assert not WebhookEvent.objects.exists()


def test_after_a_rotation_subscriptions_are_registered_again_with_the_new_secret(
    sandbox, make_company, portal_url, settings, sync_tasks
):
    company = make_company()
    old = subscriptions.subscribe_company(company=company)
    settings.MAVENTA_WEBHOOK_SECRET = "the-new-secret"  # noqa: S105 - a test value

    assert list(subscriptions.on_old_secret()) == [old]
    fresh = subscriptions.register_again(subscription=old)

    old.refresh_from_db()
    assert old.deleted_at is not None
    assert fresh.maventa_id != old.maventa_id
    assert not subscriptions.on_old_secret().exists()
    sandbox.incoming(str(company.maventa_id), count=1)
    sandbox.flush_webhooks(everything=True)
    until(lambda: WebhookEvent.objects.exists())
    assert WebhookEvent.objects.count() == 1, "only the new subscription posts"


def test_basic_auth_puts_the_secret_in_the_url_s_userinfo(settings, portal_url):
    settings.MAVENTA_WEBHOOK_AUTH = "basic"

    given = subscriptions.destination()

    assert given.startswith("http://maventa:subscription-test-secret@")
    assert "secret=" not in given


def test_operators_subscribe_chosen_companies_as_one_run(
    sandbox, make_company, portal_url, operator_client, sync_tasks
):
    from django.urls import reverse

    from maventa_portal.core.models import BulkRun

    chosen, already = make_company(), make_company()
    kept = subscriptions.subscribe_company(company=already)

    response = operator_client.post(
        reverse("exchange:webhook_subscribe"),
        {"companies": [chosen.pk, already.pk], "events": ["DOCUMENTS.*.*"], "request_key": "k"},
    )

    run = BulkRun.objects.get()
    assert response["Location"] == reverse("runs:progress", args=[run.pk])
    messages = dict(run.items.values_list("object_id", "message"))
    assert messages[already.pk] == f"Already subscribed (Maventa id {kept.maventa_id})."
    assert subscriptions.live_for(chosen).events == ["DOCUMENTS.*.*"]


def test_the_admin_action_on_companies_leads_to_the_form_with_the_selection(
    make_company, operator_client
):
    from django.urls import reverse

    company = make_company()

    response = operator_client.post(
        reverse("admin:companies_company_changelist"),
        {"action": "subscribe_webhooks", "_selected_action": [company.pk]},
    )

    assert response["Location"] == reverse("exchange:webhook_subscribe")
    page = operator_client.get(response["Location"])
    assert page.context["form"].initial["companies"] == [company.pk]


def test_viewers_see_subscriptions_and_change_none(
    sandbox, make_company, portal_url, viewer_client
):
    from django.urls import reverse

    subscription = subscriptions.subscribe_company(company=make_company())

    page = viewer_client.get(reverse("exchange:webhook_subscriptions"))
    assert page.status_code == 200
    assert subscription.maventa_id in page.content.decode()
    assert SECRET not in page.content.decode()
    for name in ("webhook_unsubscribe", "webhook_register_again"):
        url = reverse(f"exchange:{name}", args=[subscription.pk])
        assert viewer_client.post(url).status_code == 403
    assert viewer_client.post(reverse("exchange:webhook_subscribe"), {}).status_code == 403
    changelist = viewer_client.get(reverse("admin:companies_company_changelist"))
    assert "subscribe_webhooks" not in changelist.content.decode()


def test_deleting_from_the_page_is_audited(sandbox, make_company, portal_url, operator_client):
    from django.urls import reverse

    subscription = subscriptions.subscribe_company(company=make_company())

    operator_client.post(reverse("exchange:webhook_unsubscribe", args=[subscription.pk]))

    subscription.refresh_from_db()
    assert subscription.deleted_at is not None
    assert AuditEntry.objects.filter(event="webhooks.unsubscribe", outcome="done").exists()


def test_the_webhooks_page_shows_how_deliveries_are_doing(db, viewer_client):
    from django.urls import reverse
    from django.utils import timezone

    WebhookEvent.objects.create(
        dedupe_key="k-1",
        name="DOCUMENTS.INVOICE.FAILED",
        state="FAILED",
        received_at=timezone.now(),
    )

    page = viewer_client.get(reverse("exchange:webhook_subscriptions")).content.decode()

    assert 'id="webhook-health"' in page
    assert "1 in the last hour" in page
    assert "0 / 1 / 0" in page
    assert "not run yet" in page


def test_none_chosen_subscribes_only_the_companies_without_a_subscription(
    sandbox, make_company, portal_url, operator_client
):
    from django.urls import reverse

    from maventa_portal.core.models import BulkRun

    fresh, already = make_company(), make_company()
    subscriptions.subscribe_company(company=already)

    operator_client.post(
        reverse("exchange:webhook_subscribe"), {"events": ["NETWORKS.*"], "request_key": "k2"}
    )

    run = BulkRun.objects.get()
    assert list(run.items.values_list("object_id", flat=True)) == [fresh.pk]


def test_a_subscription_made_before_an_event_was_handled_gets_it_added_from_the_page(
    sandbox, make_company, portal_url, operator_client
):
    company = make_company()
    older_events = [e for e in subscriptions.DEFAULT_EVENTS if not e.startswith("SERVICES.")]
    old = subscriptions.subscribe_company(company=company, events=older_events)

    page = operator_client.get(reverse("exchange:webhook_subscriptions")).content.decode()
    response = operator_client.post(reverse("exchange:webhook_add_events", args=[old.pk]))

    assert "Lacks SERVICES.RECEIVABLES.*" in page
    assert response.status_code == 302
    old.refresh_from_db()
    fresh = WebhookSubscription.objects.get(deleted_at__isnull=True)
    assert old.deleted_at is not None
    assert sorted(fresh.events) == sorted(subscriptions.DEFAULT_EVENTS)
    at_maventa = notifications.list_notifications(company_api(company, scope=notifications.SCOPE))
    assert [(n.id, sorted(n.events)) for n in at_maventa] == [
        (fresh.maventa_id, sorted(subscriptions.DEFAULT_EVENTS))
    ]
    entry = AuditEntry.objects.get(event="webhooks.add_events")
    assert (entry.outcome, entry.asked["events"]) == ("done", ["SERVICES.RECEIVABLES.*"])
