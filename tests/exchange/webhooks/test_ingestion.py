"""POST /webhooks/maventa/: the secret, the size limit, bad bodies, repeats, nothing else."""

from __future__ import annotations

import logging
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.models import WebhookEvent
from exchange.webhooks.ingest import REDACTED

from .conftest import SECRET, sample

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_wrong_or_missing_secret_is_refused_and_nothing_is_kept(post_webhook, secret, caplog):
    caplog.set_level(logging.WARNING, logger="maventa_portal.security")

    response = post_webhook(sample("invoice_delivered"), secret=secret)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not WebhookEvent.objects.exists()
    assert "Refused a webhook delivery" in caplog.text
    assert SECRET not in caplog.text


def test_wrong_basic_auth_password_is_refused(post_webhook):
    response = post_webhook(sample("invoice_delivered"), secret=None, basic="nope")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not WebhookEvent.objects.exists()


def test_basic_auth_password_is_accepted_and_not_stored(post_webhook):
    response = post_webhook(sample("invoice_delivered"), secret=None, basic=SECRET)

    assert response.status_code == HTTPStatus.NO_CONTENT
    event = WebhookEvent.objects.get()
    assert event.headers["Authorization"] == REDACTED
    assert SECRET not in str(event.headers) + event.body


def test_previous_secret_works_during_its_grace_only(post_webhook, settings):
    old = "old-secret"  # noqa: S105 - a test value
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET = old
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = timezone.now() + timedelta(hours=1)

    inside = post_webhook(sample("invoice_delivered"), secret=old)
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = timezone.now() - timedelta(seconds=1)
    after = post_webhook(sample("invoice_failed"), secret=old)

    assert inside.status_code == HTTPStatus.NO_CONTENT
    assert after.status_code == HTTPStatus.UNAUTHORIZED
    assert WebhookEvent.objects.count() == 1


def test_an_empty_configured_secret_opens_nothing(post_webhook, settings):
    settings.MAVENTA_WEBHOOK_SECRET = ""

    assert post_webhook(sample("invoice_delivered"), secret="").status_code == 401
    assert post_webhook(sample("invoice_delivered"), secret=None, basic="").status_code == 401


def test_oversize_body_is_refused(post_webhook, settings):
    settings.MAVENTA_WEBHOOK_MAX_BODY = 1024
    payload = sample("invoice_failed", data={"error_message": "x" * 2000})

    response = post_webhook(payload)

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"company_id": "x"}', b'{"event": 7}', b"\xff\xfe"],
    ids=["text", "array", "no-event", "event-not-text", "not-utf8"],
)
def test_bad_body_answers_400_and_is_kept_for_review(post_webhook, body):
    response = post_webhook(body)
    post_webhook(body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.INVALID
    assert event.times_seen == 2
    assert event.attempts == 0


def test_unknown_event_type_is_stored_answered_and_flagged(post_webhook):
    payload = sample("invoice_delivered", event="DOCUMENTS.INVOICE.TELEPORTED")

    response = post_webhook(payload)

    assert response.status_code == HTTPStatus.NO_CONTENT
    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.UNKNOWN_TYPE
    assert event.family == WebhookEvent.Family.UNKNOWN
    assert event.attempts == 0


def test_the_same_event_five_times_is_one_row_counted_five_times(post_webhook):
    payload = sample("invoice_delivered")
    reordered = dict(reversed(list(payload.items())))
    other_offset = {**payload, "event_timestamp": "2019-11-23T10:03:48Z"}  # the same moment

    answers = [post_webhook(p) for p in (payload, payload, payload, reordered, other_offset)]

    assert {a.status_code for a in answers} == {HTTPStatus.NO_CONTENT}
    event = WebhookEvent.objects.get()
    assert event.times_seen == 5
    assert event.attempts == 1, "processed once"


def test_events_differing_in_name_object_or_time_are_distinct(post_webhook):
    post_webhook(sample("invoice_delivered"))
    post_webhook(
        sample(
            "invoice_failed",
            data={"invoice_id": sample("invoice_delivered")["event_data"]["invoice_id"]},
        )
    )
    post_webhook(
        sample("invoice_delivered", data={"invoice_id": "0c8a8f35-3b19-4c52-9a57-0d8e8d1b3f10"})
    )
    post_webhook(sample("invoice_delivered", event_timestamp="2019-11-23T12:03:49+02:00"))

    assert WebhookEvent.objects.count() == 4


def test_head_probe_answers_200_and_get_405(webhook_secret):
    url = reverse("maventa_webhook")

    assert Client().head(url).status_code == HTTPStatus.OK
    assert Client().get(f"{url}?secret={SECRET}").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_delivery_needs_no_login_nor_csrf_token(webhook_secret, sync_tasks):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"{reverse('maventa_webhook')}?secret={SECRET}",
        sample("invoice_delivered"),
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.NO_CONTENT


def test_stores_raw_body_remote_address_and_the_company_it_names(post_webhook):
    from tests.factories import CompanyFactory

    company = CompanyFactory(maventa_id=sample("invoice_delivered")["company_id"])
    raw = (
        b'{"event":"DOCUMENTS.INVOICE.DELIVERED","company_id":"%s","event_timestamp":"2019-11-23T12:03:48+02:00","event_data":{"invoice_id":"12f88354-5998-495b-8675-67bf05de60e5"}}'
        % str(company.maventa_id).encode()
    )

    post_webhook(raw, REMOTE_ADDR="203.0.113.9")

    event = WebhookEvent.objects.get()
    assert event.body == raw.decode()
    assert event.remote_addr == "203.0.113.9"
    assert event.company == company
    assert event.object_id == "12f88354-5998-495b-8675-67bf05de60e5"
    assert event.event_timestamp.isoformat() == "2019-11-23T10:03:48+00:00"


def test_every_webhook_url_is_guarded_by_the_secret(webhook_secret):
    # The URL walk of tests/core/test_permissions.py leaves /webhooks/ out (no login there):
    # this is the walk for it. Each URL under it refuses a POST without the secret.
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern) and route.startswith("webhooks"):
                yield route

    routes = list(walk(get_resolver()))

    assert routes == ["webhooks/maventa/"]
    for route in routes:
        response = Client().post(f"/{route}", b"{}", content_type="application/json")
        assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not WebhookEvent.objects.exists()
