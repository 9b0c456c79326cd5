"""What is sent again and what is not, against the sandbox over real HTTP."""

from __future__ import annotations

import socket

import pytest

from maventa_portal.maventa_api import (
    AmbiguousOutcome,
    ClientConfig,
    Maventa,
    MemoryTokenStore,
    RateLimited,
    Unavailable,
)
from maventa_portal.maventa_api.ax import companies

pytestmark = pytest.mark.sandbox


def test_503_twice_then_success(sandbox, api, sleeps):
    sandbox.script({"method": "GET", "path": "/v1/company", "status": 503, "times": 2})

    company = companies.get_company(api)

    assert company.bid == "1234567-1"
    assert sandbox.stats()["requests"]["GET /ax/v1/company"] == 3
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0] / 2  # backoff grows (jitter keeps it above half)


def test_retries_exhausted_raise_unavailable_with_staff_message(sandbox, api):
    sandbox.script({"method": "GET", "path": "/v1/company", "status": 503, "times": 10})

    with pytest.raises(Unavailable) as caught:
        companies.get_company(api)

    assert caught.value.staff_message == "Maventa is unavailable, please try again later."
    assert sandbox.stats()["requests"]["GET /ax/v1/company"] == 4  # 1 + 3 retries


def test_retry_after_is_honoured(sandbox, api, sleeps):
    sandbox.script(
        {"method": "GET", "path": "/v1/company", "status": 429, "retry_after": 2, "times": 1}
    )

    companies.get_company(api)

    assert sleeps == [2.0]


def test_long_retry_after_is_left_to_the_caller(sandbox, api, sleeps):
    sandbox.script(
        {"method": "GET", "path": "/v1/company", "status": 429, "retry_after": 600, "times": 1}
    )

    with pytest.raises(RateLimited) as caught:
        companies.get_company(api)

    assert caught.value.retry_after == 600
    assert sleeps == []


def test_post_that_times_out_is_ambiguous_and_not_resent(sandbox, maventa_client, settings):
    impatient = Maventa(
        maventa_client.config.with_options(read_timeout=0.5), token_store=MemoryTokenStore()
    )
    sandbox.script({"method": "POST", "path": "/v1/users", "hang_seconds": 1.5, "times": 1})

    with pytest.raises(AmbiguousOutcome):
        companies.create_user(
            impatient.public(),
            vendor_api_key=settings.MAVENTA_VENDOR_API_KEY,
            email="someone@example.com",
        )

    assert sandbox.stats()["requests"]["POST /ax/v1/users"] == 1


def test_post_whose_connection_drops_is_ambiguous_and_not_resent(sandbox, maventa_client, settings):
    sandbox.script({"method": "POST", "path": "/v1/users", "drop": True, "times": 1})

    with pytest.raises(AmbiguousOutcome):
        companies.create_user(
            maventa_client.public(),
            vendor_api_key=settings.MAVENTA_VENDOR_API_KEY,
            email="a@example.com",
        )

    assert sandbox.stats()["requests"]["POST /ax/v1/users"] == 1


def test_get_whose_connection_drops_is_retried(sandbox, api, sleeps):
    sandbox.script({"method": "GET", "path": "/v1/company", "drop": True, "times": 1})

    companies.get_company(api)

    assert sandbox.stats()["requests"]["GET /ax/v1/company"] == 2


def test_post_503_is_not_retried(sandbox, maventa_client, settings):
    sandbox.script({"method": "POST", "path": "/v1/users", "status": 503, "times": 1})

    with pytest.raises(Unavailable):
        companies.create_user(
            maventa_client.public(),
            vendor_api_key=settings.MAVENTA_VENDOR_API_KEY,
            email="b@example.com",
        )

    assert sandbox.stats()["requests"]["POST /ax/v1/users"] == 1


def test_unreachable_host_is_unavailable_after_retries():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens
    sleeps: list[float] = []
    maventa_client = Maventa(
        ClientConfig.for_environment("sandbox", sandbox_url=f"http://127.0.0.1:{port}/sandbox"),
        sleep=sleeps.append,
    )

    with pytest.raises(Unavailable) as caught:
        companies.create_user(maventa_client.public(), vendor_api_key="k", email="c@example.com")

    # Nothing reached the server, so even a POST may be tried again.
    assert len(sleeps) == 3
    assert not isinstance(caught.value, AmbiguousOutcome)
