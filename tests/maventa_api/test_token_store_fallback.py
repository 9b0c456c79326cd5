"""Redis down is not an outage of Maventa calls: tokens are kept in process memory meanwhile.

The shared cache is made to fail for real: Django's Redis cache pointed at a closed port.
"""

from __future__ import annotations

import logging
import socket
import uuid

import pytest
from django.core.cache import cache

from maventa_portal import maventa
from maventa_portal.maventa_api.ax import companies

pytestmark = pytest.mark.sandbox

CLOSED_REDIS = "redis://127.0.0.1:1/0"
# Its own database number: clearing it must not touch what other runs keep in Redis.
LIVE_REDIS = "redis://127.0.0.1:6379/15"
FAST_FAIL = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": FAST_FAIL,
        }
    }


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(CLOSED_REDIS)
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever redis-py raises
        cache.get("anything")


def company_api(sandbox_company):
    return maventa.get_client().company(
        maventa.company_credentials(
            company_id=sandbox_company["company_id"],
            api_key=sandbox_company["api_key"],
            vendor_api_key=sandbox_company["vendor_api_key"],
        )
    )


def test_calls_work_while_the_shared_cache_refuses_connections(
    sandbox, sandbox_company, redis_down
):
    company = companies.current(company_api(sandbox_company)).company

    assert company.bid == "1234567-1"


def test_tokens_are_kept_per_process_and_fetched_once(sandbox, sandbox_company, redis_down):
    companies.current(company_api(sandbox_company))
    maventa.get_client().tokens._memo.clear()  # only the store now remembers the token

    companies.current(company_api(sandbox_company))

    assert sandbox.stats()["token_requests"] == 1
    assert maventa.get_client().tokens.store.shared is False


def test_the_outage_is_logged_once(sandbox, sandbox_company, redis_down, caplog):
    second = sandbox.create_company(name="Toinen Oy", bid="7654321-6")

    with caplog.at_level(logging.WARNING, logger="maventa_api.auth"):
        companies.current(company_api(sandbox_company))
        companies.current(company_api(second))

    outages = [r for r in caplog.records if "shared cache does not answer" in r.getMessage()]
    assert len(outages) == 1
    assert "this process's memory" in outages[0].getMessage()


def test_the_shared_cache_is_used_again_once_it_answers(
    sandbox, sandbox_company, settings, monkeypatch, caplog
):
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    settings.CACHES = redis_cache(CLOSED_REDIS)
    store = maventa.get_client().tokens.store
    monkeypatch.setattr(store, "recheck_after", 0.0)
    companies.current(company_api(sandbox_company))
    assert store.shared is False

    settings.CACHES = redis_cache(LIVE_REDIS)
    with caplog.at_level(logging.WARNING, logger="maventa_api.auth"):
        maventa.get_client().tokens._memo.clear()
        companies.current(company_api(sandbox_company))

    assert store.shared is True
    assert "answers again" in caplog.text
    # Fetched again (the first token never reached Redis), and now shared there.
    assert sandbox.stats()["token_requests"] == 2


def test_tokens_are_shared_through_a_live_redis(sandbox, sandbox_company, settings):
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    settings.CACHES = redis_cache(LIVE_REDIS)
    companies.current(company_api(sandbox_company))
    maventa.reset_clients()  # another process: a new client, the same cache

    companies.current(company_api(sandbox_company))

    assert sandbox.stats()["token_requests"] == 1
