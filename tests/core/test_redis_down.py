"""Redis down is not an outage of the portal: staff pages work, say what is down, and /healthz
answers 503 naming it. Redis is made to fail for real: the cache pointed at a closed port."""

from __future__ import annotations

import socket
import time
from http import HTTPStatus

import pytest
from django.urls import reverse
from django_q.conf import Conf

from maventa_portal.core import outages
from maventa_portal.core.connection import last_check
from maventa_portal.core.outages import REDIS_DOWN

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/0"
LIVE_REDIS = "redis://127.0.0.1:6379/15"
BANNER = REDIS_DOWN.split(":")[0]


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _no_remembered_probe():
    outages.forget()
    yield
    outages.forget()


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(CLOSED_REDIS)


@pytest.fixture(autouse=True)
def _no_redis_configured(settings):
    """Each test names the Redis it wants: none unless it sets one, whatever the tier runs on."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.Q_CLUSTER = {k: v for k, v in settings.Q_CLUSTER.items() if k != "redis"}


@pytest.fixture
def probes(monkeypatch) -> list[str]:
    """Records each real probe of Redis."""
    seen: list[str] = []
    ping = outages._ping

    def counting(url: str) -> bool:
        seen.append(url)
        return ping(url)

    monkeypatch.setattr(outages, "_ping", counting)
    return seen


@pytest.mark.sandbox
def test_staff_pages_work_and_name_the_shared_cache_while_redis_is_down(
    sandbox, redis_down, operator_client
):
    check = operator_client.post(reverse("portal:check_connection"))
    home = operator_client.get(reverse("portal:home"))
    admin = operator_client.get(reverse("admin:index"))

    assert check.status_code == HTTPStatus.FOUND
    assert last_check().ok  # the operator token was fetched without the shared cache
    assert home.status_code == HTTPStatus.OK
    assert "Connected to Maventa (sandbox)." in home.content.decode()
    for page in (home, admin):
        assert REDIS_DOWN in page.content.decode()


def test_the_banner_costs_a_page_little_and_is_remembered(redis_down, viewer_client, probes):
    started = time.monotonic()
    for _ in range(3):
        page = viewer_client.get(reverse("portal:home")).content.decode()
        assert REDIS_DOWN in page
    elapsed = time.monotonic() - started

    assert probes == [CLOSED_REDIS]
    assert elapsed < 3.0


def test_the_banner_is_probed_again_after_a_few_seconds(redis_down, viewer_client, probes):
    clock = [100.0]
    assert outages.redis_answers(CLOSED_REDIS, now=lambda: clock[0]) is False
    clock[0] += outages.REMEMBER_SECONDS - 0.1
    assert outages.redis_answers(CLOSED_REDIS, now=lambda: clock[0]) is False
    clock[0] += 0.2
    assert outages.redis_answers(CLOSED_REDIS, now=lambda: clock[0]) is False

    assert len(probes) == 2


def test_no_banner_when_redis_answers(settings, viewer_client, probes):
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    settings.CACHES = redis_cache(LIVE_REDIS)

    page = viewer_client.get(reverse("portal:home")).content.decode()

    assert BANNER not in page
    assert probes == [LIVE_REDIS]


def test_nothing_is_probed_without_redis(viewer_client, probes):
    page = viewer_client.get(reverse("portal:home")).content.decode()

    assert BANNER not in page
    assert probes == []


def test_the_banner_is_for_staff_only(redis_down, client, probes):
    page = client.get(reverse("portal:login")).content.decode()

    assert BANNER not in page
    assert probes == []


def test_healthz_answers_503_naming_the_broker_while_redis_is_down(client, monkeypatch):
    # django-q2 reads its configuration once, at import: its broker is pointed at Redis here.
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", CLOSED_REDIS)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"database": "ok", "broker": "unavailable"}
