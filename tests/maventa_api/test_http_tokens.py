"""Bearer tokens offline: one refresh on a 401, none on a 403, reuse until the margin before
expiry. Answers scripted with `responses`; the clock is the test's."""

from __future__ import annotations

from dataclasses import replace
from http import HTTPStatus

import pytest

from maventa_portal.maventa_api import (
    ClientConfig,
    Forbidden,
    Maventa,
    MemoryTokenStore,
    Unauthorized,
)
from tests.maventa_api.offline import CURRENT_URL, OFFLINE_BASE, TOKEN_URL, calls_to, token_answer


def bearer_of(call) -> str:
    return call.request.headers["Authorization"]


def test_401_then_200_refreshes_the_token_once(http_mock, offline_api):
    http_mock.post(TOKEN_URL, json=token_answer("revoked"))
    http_mock.post(TOKEN_URL, json=token_answer("fresh"))
    http_mock.get(CURRENT_URL, status=401)
    http_mock.get(CURRENT_URL, json={})

    response = offline_api.get("/oauth2/current")

    assert response.status == HTTPStatus.OK
    gets = calls_to(http_mock, "GET", CURRENT_URL)
    assert [bearer_of(call) for call in gets] == ["Bearer revoked", "Bearer fresh"]
    assert len(calls_to(http_mock, "POST", TOKEN_URL)) == 2


def test_second_401_raises_unauthorized(http_mock, offline_api, sleeps):
    http_mock.post(TOKEN_URL, json=token_answer("first"))
    http_mock.post(TOKEN_URL, json=token_answer("second"))
    http_mock.get(CURRENT_URL, status=401)

    with pytest.raises(Unauthorized) as caught:
        offline_api.get("/oauth2/current")

    assert caught.value.status == HTTPStatus.UNAUTHORIZED
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 2
    assert len(calls_to(http_mock, "POST", TOKEN_URL)) == 2
    assert sleeps == []


def test_403_is_never_retried_and_names_the_resource(http_mock, offline_api, sleeps):
    http_mock.post(TOKEN_URL, json=token_answer())
    http_mock.get(CURRENT_URL, status=403, json={"code": "forbidden", "message": "scope"})

    with pytest.raises(Forbidden) as caught:
        offline_api.get("/oauth2/current", resource="the company")

    assert caught.value.staff_message == "No access to the company."
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 1
    assert len(calls_to(http_mock, "POST", TOKEN_URL)) == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [400, 401])
def test_refused_credentials_raise_unauthorized_without_retry(http_mock, offline_api, status):
    http_mock.post(TOKEN_URL, status=status, json={"code": "unauthorized", "message": "no"})

    with pytest.raises(Unauthorized) as caught:
        offline_api.get("/oauth2/current")

    assert caught.value.code == "unauthorized"
    assert len(calls_to(http_mock, "POST", TOKEN_URL)) == 1


def test_token_endpoint_503_is_retried_like_a_get(http_mock, offline_api, sleeps):
    # Asking for a token changes nothing at Maventa, so its POST may be sent again.
    http_mock.post(TOKEN_URL, status=503)
    http_mock.post(TOKEN_URL, json=token_answer())
    http_mock.get(CURRENT_URL, json={})

    offline_api.get("/oauth2/current")

    assert len(calls_to(http_mock, "POST", TOKEN_URL)) == 2
    assert sleeps == [0.25]


def test_thousand_calls_within_the_lifetime_need_one_token(http_mock, offline_api):
    http_mock.post(TOKEN_URL, json=token_answer())
    http_mock.get(CURRENT_URL, json={})

    for _ in range(1000):
        offline_api.get("/oauth2/current")

    assert len(calls_to(http_mock, "POST", TOKEN_URL)) == 1
    assert len(calls_to(http_mock, "GET", CURRENT_URL)) == 1000


def test_token_is_renewed_a_margin_before_it_expires(http_mock, offline_credentials, sleeps):
    now = [1_000_000.0]
    client = Maventa(
        ClientConfig.for_environment("sandbox", sandbox_url=OFFLINE_BASE, token_margin=300),
        token_store=MemoryTokenStore(),
        sleep=sleeps.append,
        clock=lambda: now[0],
    )
    api = client.company(offline_credentials)
    http_mock.post(TOKEN_URL, json=token_answer("first", expires_in=3600))
    http_mock.post(TOKEN_URL, json=token_answer("second", expires_in=3600))
    http_mock.get(CURRENT_URL, json={})

    api.get("/oauth2/current")
    now[0] += 3600 - 300 - 1
    api.get("/oauth2/current")
    now[0] += 2
    api.get("/oauth2/current")

    gets = calls_to(http_mock, "GET", CURRENT_URL)
    assert [bearer_of(call) for call in gets] == ["Bearer first", "Bearer first", "Bearer second"]


def test_tokens_are_kept_per_credentials(http_mock, offline_client, offline_credentials):
    http_mock.post(TOKEN_URL, json=token_answer("right"))
    http_mock.post(TOKEN_URL, json=token_answer("other"))
    http_mock.get(CURRENT_URL, json={})
    mistyped = replace(offline_credentials, api_key="mistyped-key")

    offline_client.company(offline_credentials).get("/oauth2/current")
    offline_client.company(mistyped).get("/oauth2/current")

    gets = calls_to(http_mock, "GET", CURRENT_URL)
    assert [bearer_of(call) for call in gets] == ["Bearer right", "Bearer other"]


SHORT_OF_SCOPE = [
    {"code": "insufficient_scope", "message": "needs company:read"},
    {"error": "insufficient_scope", "error_description": "needs company:read"},
]


@pytest.mark.parametrize("body", SHORT_OF_SCOPE, ids=["maventa", "oauth2"])
def test_second_401_saying_scope_blames_the_scope_not_the_keys(http_mock, offline_api, body):
    http_mock.post(TOKEN_URL, json={**token_answer("first"), "scope": "global company"})
    http_mock.post(TOKEN_URL, json={**token_answer("second"), "scope": "global company"})
    http_mock.get(CURRENT_URL, status=401, json=body)

    with pytest.raises(Unauthorized) as caught:
        offline_api.get("/oauth2/current", resource="the current session")

    assert caught.value.code == "insufficient_scope"
    assert caught.value.staff_message == (
        "The token's scope (global company) does not cover the current session. "
        "Maventa said: needs company:read"
    )


def test_second_401_for_a_narrow_scope_blames_that_scope(
    http_mock, offline_client, offline_credentials
):
    narrow = offline_client.company(replace(offline_credentials, scope="lookup"))
    http_mock.post(TOKEN_URL, json=token_answer("first"))
    http_mock.post(TOKEN_URL, json=token_answer("second"))
    http_mock.get(CURRENT_URL, status=401, json={"code": "unauthorized"})

    with pytest.raises(Unauthorized) as caught:
        narrow.get("/oauth2/current", resource="the current session")

    assert caught.value.staff_message == (
        "The token's scope (lookup) does not cover the current session."
    )


def test_second_401_with_the_default_scope_and_no_scope_code_blames_the_keys(
    http_mock, offline_api
):
    http_mock.post(TOKEN_URL, json=token_answer("first"))
    http_mock.post(TOKEN_URL, json=token_answer("second"))
    http_mock.get(CURRENT_URL, status=401, json={"code": "unauthorized", "message": "revoked"})

    with pytest.raises(Unauthorized) as caught:
        offline_api.get("/oauth2/current")

    assert caught.value.staff_message == (
        "Maventa did not accept the credentials. Check the API keys. Maventa said: revoked"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"code": "invalid_client", "message": "Client authentication failed"},
        {"error": "invalid_client", "error_description": "Client authentication failed"},
    ],
    ids=["maventa", "oauth2"],
)
def test_refused_token_is_read_in_either_error_shape(http_mock, offline_api, body):
    http_mock.post(TOKEN_URL, status=401, json=body)

    with pytest.raises(Unauthorized) as caught:
        offline_api.get("/oauth2/current")

    assert caught.value.code == "invalid_client"
    assert caught.value.staff_message == (
        "Maventa did not accept the credentials. Check the API keys. "
        "Maventa said: Client authentication failed"
    )
    assert "offline-api-key" not in str(caught.value)


def test_refused_scope_at_the_token_endpoint_names_the_scope(
    http_mock, offline_client, offline_credentials
):
    api = offline_client.company(replace(offline_credentials, scope="operator:companies"))
    http_mock.post(
        TOKEN_URL,
        status=400,
        json={"error": "invalid_scope", "error_description": "Unknown or not allowed scope"},
    )

    with pytest.raises(Unauthorized) as caught:
        api.get("/oauth2/current")

    assert caught.value.code == "invalid_scope"
    assert caught.value.staff_message == (
        "Maventa refused the token scope asked for (operator:companies). "
        "Maventa said: Unknown or not allowed scope"
    )
