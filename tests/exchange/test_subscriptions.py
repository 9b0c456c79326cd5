"""Webhook subscriptions registered at the sandbox over HTTP, and the sandbox posting to them."""

from __future__ import annotations

import time

import pytest

from exchange.models import WebhookEvent, WebhookSubscription
from exchange.services import subscriptions
from maventa_portal.core.errors import Refused
from maventa_portal.core.models import AuditEntry

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
