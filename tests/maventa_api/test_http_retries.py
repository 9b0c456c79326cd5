"""What the transport sends again and what not, offline: every answer scripted with `responses`.

Backoff waits are recorded, not slept, and jitter is 0: with the default policy (base 0.5 s)
the waits are 0.25, 0.5, 1.0 s.
"""

from __future__ import annotations

import socket
from http import HTTPStatus

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from maventa_portal.maventa_api import (
    AmbiguousOutcome,
    ClientConfig,
    Maventa,
    RateLimited,
    RetryPolicy,
    Unavailable,
)
from maventa_portal.maventa_api.http import backoff_delay
from tests.maventa_api.offline import CURRENT_URL, TOKEN_URL, USERS_URL, calls_to, token_answer

UNAVAILABLE = "Maventa is unavailable, please try again later."
NEW_USER = {"vendor_api_key": "offline-vendor-key", "email": "new@example.com"}


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def refused() -> requests.ConnectionError:
    """What requests raises when nothing listens: the request never left this machine."""
    reason = NewConnectionError(None, "Failed to establish a new connection: refused")
    return requests.ConnectionError(MaxRetryError(None, CURRENT_URL, reason))


def test_503_twice_then_200_is_sent_three_times(http_mock, token, offline_api, sleeps):
    http_mock.get(CURRENT_URL, status=503)
    http_mock.get(CURRENT_URL, status=503)
    http_mock.get(CURRENT_URL, json={"name": "Offline Oy"})

    response = offline_api.get("/oauth2/current")

    assert response.status == HTTPStatus.OK
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 3
    assert sleeps == [0.25, 0.5]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_of_a_get_are_retried(http_mock, token, offline_api, status):
    http_mock.get(CURRENT_URL, status=status)
    http_mock.get(CURRENT_URL, json={})

    offline_api.get("/oauth2/current")

    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 2


def test_500_is_not_retried(http_mock, token, offline_api, sleeps):
    http_mock.get(CURRENT_URL, status=500)

    with pytest.raises(Unavailable):
        offline_api.get("/oauth2/current")

    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 1
    assert sleeps == []


def test_retries_exhausted_raise_unavailable_with_the_staff_message(
    http_mock, token, offline_api, sleeps
):
    http_mock.get(CURRENT_URL, status=503)

    with pytest.raises(Unavailable) as caught:
        offline_api.get("/oauth2/current")

    assert caught.value.status == HTTPStatus.SERVICE_UNAVAILABLE
    assert caught.value.staff_message == UNAVAILABLE
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 4  # 1 + max_retries (3)
    assert sleeps == [0.25, 0.5, 1.0]


def test_backoff_doubles_up_to_its_ceiling_and_jitter_adds_at_most_the_other_half(monkeypatch):
    policy = RetryPolicy(backoff_base=0.5, backoff_max=8.0)
    monkeypatch.setattr("maventa_portal.maventa_api.http.jitter", lambda: 0.0)
    least = [backoff_delay(attempt, policy) for attempt in range(7)]
    monkeypatch.setattr("maventa_portal.maventa_api.http.jitter", lambda: 1.0)
    most = [backoff_delay(attempt, policy) for attempt in range(7)]

    assert least == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert most == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_429_waits_as_long_as_retry_after_says(http_mock, token, offline_api, sleeps):
    http_mock.get(CURRENT_URL, status=429, headers={"Retry-After": "2"})
    http_mock.get(CURRENT_URL, json={})

    offline_api.get("/oauth2/current")

    assert sleeps == [2.0]
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 2


def test_429_without_retry_after_waits_the_backoff(http_mock, token, offline_api, sleeps):
    http_mock.get(CURRENT_URL, status=429)
    http_mock.get(CURRENT_URL, json={})

    offline_api.get("/oauth2/current")

    assert sleeps == [0.25]


def test_retry_after_beyond_the_limit_is_left_to_the_caller(http_mock, token, offline_api, sleeps):
    http_mock.get(CURRENT_URL, status=429, headers={"Retry-After": "600"})

    with pytest.raises(RateLimited) as caught:
        offline_api.get("/oauth2/current")

    assert caught.value.retry_after == 600
    assert sleeps == []
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 1


def test_post_refused_with_429_is_sent_again(http_mock, offline_client, sleeps):
    # Maventa refused it before handling it: nothing was created.
    http_mock.post(USERS_URL, status=429, headers={"Retry-After": "1"})
    http_mock.post(USERS_URL, status=201, json={"user_api_key": "k"})

    response = offline_client.public().post("/v1/users", json=NEW_USER)

    assert response.status == HTTPStatus.CREATED
    assert sleeps == [1.0]


def test_post_answered_503_is_not_sent_again(http_mock, offline_client, sleeps):
    http_mock.post(USERS_URL, status=503)

    with pytest.raises(Unavailable) as caught:
        offline_client.public().post("/v1/users", json=NEW_USER)

    assert not isinstance(caught.value, AmbiguousOutcome)  # Maventa said no: nothing was made
    assert len(calls_to(http_mock, "POST", USERS_URL)) == 1
    assert sleeps == []


def test_read_timeout_of_a_post_is_ambiguous_and_not_resent(http_mock, offline_client, sleeps):
    http_mock.post(USERS_URL, body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(AmbiguousOutcome) as caught:
        offline_client.public().post("/v1/users", json=NEW_USER)

    assert "check its status before sending it again" in caught.value.staff_message
    assert isinstance(caught.value.__cause__, requests.exceptions.ReadTimeout)
    assert len(calls_to(http_mock, "POST", USERS_URL)) == 1
    assert sleeps == []


def test_connection_lost_after_sending_a_post_is_ambiguous(http_mock, offline_client):
    http_mock.post(USERS_URL, body=requests.ConnectionError("Connection aborted."))

    with pytest.raises(AmbiguousOutcome):
        offline_client.public().post("/v1/users", json=NEW_USER)

    assert len(calls_to(http_mock, "POST", USERS_URL)) == 1


@pytest.mark.parametrize(
    "never_sent",
    [
        pytest.param(lambda: requests.exceptions.ConnectTimeout("connect timed out"), id="timeout"),
        pytest.param(refused, id="refused"),
    ],
)
def test_post_that_never_reached_maventa_is_sent_again(
    http_mock, offline_client, sleeps, never_sent
):
    http_mock.post(USERS_URL, body=never_sent())
    http_mock.post(USERS_URL, status=201, json={"user_api_key": "k"})

    response = offline_client.public().post("/v1/users", json=NEW_USER)

    assert response.status == HTTPStatus.CREATED
    assert len(calls_to(http_mock, "POST", USERS_URL)) == 2
    assert sleeps == [0.25]


def test_connect_timeouts_exhausted_raise_unavailable_not_ambiguous(
    http_mock, offline_client, sleeps
):
    http_mock.post(USERS_URL, body=requests.exceptions.ConnectTimeout("connect timed out"))

    with pytest.raises(Unavailable) as caught:
        offline_client.public().post("/v1/users", json=NEW_USER)

    assert not isinstance(caught.value, AmbiguousOutcome)
    assert caught.value.staff_message == UNAVAILABLE
    assert len(calls_to(http_mock, "POST", USERS_URL)) == 4
    assert sleeps == [0.25, 0.5, 1.0]


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda: requests.exceptions.ReadTimeout("read timed out"), id="read-timeout"),
        pytest.param(lambda: requests.ConnectionError("Connection aborted."), id="dropped"),
    ],
)
def test_get_whose_answer_was_lost_is_sent_again(http_mock, token, offline_api, failure):
    http_mock.get(CURRENT_URL, body=failure())
    http_mock.get(CURRENT_URL, json={})

    offline_api.get("/oauth2/current")

    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 2


def test_every_request_carries_timeouts_and_the_portal_user_agent(http_mock, token, offline_api):
    http_mock.get(CURRENT_URL, json={})

    offline_api.get("/oauth2/current")

    config = offline_api.maventa.config
    for call in http_mock.calls:
        assert call.request.req_kwargs["timeout"] == (config.connect_timeout, config.read_timeout)
        assert call.request.headers["User-Agent"] == config.user_agent


def test_unreachable_host_is_unavailable_after_retries_even_for_a_post(sleeps):
    # A real refused connection, not a scripted one: the shape of requests' exception decides
    # whether a POST may be sent again.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens
    client = Maventa(
        ClientConfig.for_environment("sandbox", sandbox_url=f"http://127.0.0.1:{port}/sandbox"),
        sleep=sleeps.append,
    )

    with pytest.raises(Unavailable) as caught:
        client.public().post("/v1/users", json=NEW_USER)

    assert len(sleeps) == 3
    assert not isinstance(caught.value, AmbiguousOutcome)
