"""A call inside ``deadline(seconds)`` is over within that time, retries and token fetch
included, against the sandbox hanging or failing for real over HTTP."""

from __future__ import annotations

import time

import pytest

from maventa_portal.maventa_api import (
    SLOW_MESSAGE,
    AmbiguousOutcome,
    RateLimited,
    Unavailable,
    deadline,
)
from maventa_portal.maventa_api.ax import companies

pytestmark = pytest.mark.sandbox

# Each hang outlasts the deadline; the test then waits it out, so that the sandbox thread
# still sleeping does not answer into the next test.
DEADLINE, HANG = 1.0, 2.5
SLACK = 0.5


def wait_out_the_hang(started: float) -> None:
    time.sleep(max(0.0, started + HANG + 0.2 - time.monotonic()))


@pytest.mark.slow
def test_hanging_get_raises_unavailable_saying_maventa_is_slow(sandbox, api):
    companies.current(api)  # a token first: only the GET hangs
    sandbox.script({"method": "GET", "path": "/oauth2/current", "hang_seconds": HANG})

    started = time.monotonic()
    with deadline(DEADLINE), pytest.raises(Unavailable) as caught:
        companies.current(api)
    elapsed = time.monotonic() - started
    wait_out_the_hang(started)

    assert elapsed < DEADLINE + SLACK
    assert not isinstance(caught.value, AmbiguousOutcome)
    assert caught.value.staff_message == SLOW_MESSAGE.format(seconds=DEADLINE)
    assert caught.value.staff_message.startswith("Maventa did not answer within 1 seconds")
    # Out of time: not sent again.
    assert sandbox.requests_to("GET /ax/oauth2/current") == 2


@pytest.mark.slow
def test_token_fetch_and_call_share_one_deadline(sandbox, api):
    sandbox.script({"path": "/oauth2/token", "hang_seconds": HANG})

    started = time.monotonic()
    with deadline(DEADLINE), pytest.raises(Unavailable) as caught:
        companies.current(api)
    elapsed = time.monotonic() - started
    wait_out_the_hang(started)

    assert elapsed < DEADLINE + SLACK
    assert caught.value.staff_message == SLOW_MESSAGE.format(seconds=DEADLINE)
    assert sandbox.requests_to("GET /ax/oauth2/current") == 0


@pytest.mark.slow
def test_post_cut_after_sending_raises_ambiguous_outcome(sandbox, api):
    companies.current(api)
    # A sign request for a verified company: the late answer changes nothing (count 0).
    sandbox.script({"method": "POST", "path": "/v1/company/authorization", "hang_seconds": HANG})

    started = time.monotonic()
    with deadline(DEADLINE), pytest.raises(AmbiguousOutcome) as caught:
        companies.request_authorization(api, auth_email="signer@example.com", locale="FI")
    elapsed = time.monotonic() - started
    wait_out_the_hang(started)

    assert elapsed < DEADLINE + SLACK
    assert "within 1 seconds" in caught.value.staff_message
    assert "check its status before sending it again" in caught.value.staff_message
    assert sandbox.requests_to("POST /ax/v1/company/authorization") == 1


def test_backoff_stops_when_the_next_wait_would_pass_the_deadline(
    sandbox, api, sleeps, monkeypatch
):
    monkeypatch.setattr("maventa_portal.maventa_api.http.jitter", lambda: 1.0)
    companies.current(api)
    sandbox.script({"method": "GET", "path": "/oauth2/current", "status": 503, "times": 10})

    with deadline(DEADLINE), pytest.raises(Unavailable) as caught:
        companies.current(api)

    # Waits of 0.5, 1 and 2 s: only the first leaves time for another attempt.
    assert sleeps == [0.5]
    assert sandbox.requests_to("GET /ax/oauth2/current") == 1 + 2
    assert caught.value.status == 503
    assert caught.value.staff_message == "Maventa is unavailable, please try again later."


def test_retry_after_longer_than_the_time_left_is_not_waited_for(sandbox, api, sleeps):
    companies.current(api)
    sandbox.script({"method": "GET", "path": "/oauth2/current", "status": 429, "retry_after": 5})

    with deadline(DEADLINE), pytest.raises(RateLimited):
        companies.current(api)

    assert sleeps == []


@pytest.mark.slow
def test_each_call_gets_the_whole_deadline(sandbox, api):
    companies.current(api)
    sandbox.script({"method": "GET", "path": "/oauth2/current", "hang_seconds": 0.6, "times": 3})

    with deadline(DEADLINE):
        for _ in range(3):
            companies.current(api)  # 1.8 s in all, each call well within 1 s


@pytest.mark.slow
def test_without_a_deadline_calls_wait_the_configured_read_timeout(sandbox, api):
    companies.current(api)
    sandbox.script({"method": "GET", "path": "/oauth2/current", "hang_seconds": 1.5})

    with deadline(1.0), deadline(None):
        company = companies.current(api).company

    assert company.bid == "1234567-1"
