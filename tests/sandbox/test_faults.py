"""The fault switchboard: scripted and random faults, as a client sees them over HTTP."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
import requests

from maventa_portal.sandbox.models import User
from tests.sandbox.conftest import ax_get

pytestmark = pytest.mark.sandbox


def test_script_503_twice_then_success(sandbox, token):
    sandbox.script(
        {"method": "GET", "path": "/v1/company/authorization", "status": 503, "times": 2}
    )

    statuses = [ax_get(sandbox, "/v1/company/authorization", token).status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert sandbox.stats()["requests"]["GET /ax/v1/company/authorization"] == 3


def test_faulted_answer_is_an_api_error_body(sandbox, token):
    sandbox.script({"path": "/v1/company/authorization", "status": 503})

    response = ax_get(sandbox, "/v1/company/authorization", token)

    assert response.json()["code"] == "service_unavailable"
    assert response.json()["message"]


def test_script_429_carries_retry_after(sandbox, token):
    sandbox.script({"path": "/v1/company/authorization", "status": 429, "retry_after": 7})

    response = ax_get(sandbox, "/v1/company/authorization", token)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.headers["Retry-After"] == "7"


def test_script_401_once_then_the_same_token_works(sandbox, token):
    sandbox.script({"path": "/v1/company/authorization", "status": 401})

    first = ax_get(sandbox, "/v1/company/authorization", token)
    second = ax_get(sandbox, "/v1/company/authorization", token)

    assert first.status_code == HTTPStatus.UNAUTHORIZED
    assert first.headers["WWW-Authenticate"] == "Bearer"
    assert second.status_code == HTTPStatus.OK


def test_first_matching_rule_with_times_left_wins(sandbox, token):
    sandbox.script(
        {"method": "POST", "path": "/v1/company/authorization", "status": 500},
        {"api": "validator", "path": "/v1/company/authorization", "status": 502},
        {"path": "/v1/comp*", "status": 504},
        {"path": "/v1/company/authorization", "status": 503},
    )

    statuses = [ax_get(sandbox, "/v1/company/authorization", token).status_code for _ in range(3)]

    assert statuses == [504, 503, 200]


def test_hanging_post_times_out_at_the_client_and_is_processed(sandbox, settings):
    sandbox.script({"method": "POST", "path": "/v1/users", "hang_seconds": 0.5})
    before = sandbox.stats()["requests"].get("POST /ax/v1/users", 0)

    with pytest.raises(requests.ReadTimeout):
        requests.post(
            f"{sandbox.ax_url}/v1/users",
            json={"vendor_api_key": settings.MAVENTA_VENDOR_API_KEY, "email": "slow@example.com"},
            timeout=(5, 0.1),
        )

    assert _eventually(lambda: User.objects.filter(email="slow@example.com").count() == 1)
    assert sandbox.stats()["requests"]["POST /ax/v1/users"] == before + 1


def _eventually(check, seconds: float = 5.0) -> bool:
    """Polls `check` until it holds, for work the sandbox finishes after its answer was lost."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_dropped_get_is_a_connection_error(sandbox, token):
    sandbox.script({"method": "GET", "path": "/v1/company/authorization", "drop": True})

    with pytest.raises(requests.ConnectionError):
        ax_get(sandbox, "/v1/company/authorization", token)

    assert ax_get(sandbox, "/v1/company/authorization", token).status_code == HTTPStatus.OK


def test_dropped_post_is_a_connection_error_and_is_not_processed(sandbox, settings):
    sandbox.script({"method": "POST", "path": "/v1/users", "drop": True})

    with pytest.raises(requests.ConnectionError):
        requests.post(
            f"{sandbox.ax_url}/v1/users",
            json={"vendor_api_key": settings.MAVENTA_VENDOR_API_KEY, "email": "gone@example.com"},
            timeout=5,
        )

    assert not User.objects.filter(email="gone@example.com").exists()


def test_dropped_token_request_on_a_kept_alive_session(sandbox, company):
    session = requests.Session()
    form = {
        "grant_type": "client_credentials",
        "client_id": company["company_id"],
        "client_secret": company["api_key"],
    }
    assert session.post(f"{sandbox.ax_url}/oauth2/token", data=form, timeout=5).ok
    sandbox.script({"path": "/oauth2/token", "drop": True})

    with pytest.raises(requests.ConnectionError):
        session.post(f"{sandbox.ax_url}/oauth2/token", data=form, timeout=5)

    assert session.post(f"{sandbox.ax_url}/oauth2/token", data=form, timeout=5).ok


def test_error_rate_is_limited_to_paths(sandbox, token):
    sandbox.set_faults(error_rate=1.0, error_statuses=[502], paths=["/v1/company/authorization"])

    assert ax_get(sandbox, "/v1/company/authorization", token).status_code == HTTPStatus.BAD_GATEWAY
    assert ax_get(sandbox, "/oauth2/current", token).status_code == HTTPStatus.OK


def test_rate_limit_rate_answers_429_with_configured_retry_after(sandbox, token):
    sandbox.set_faults(rate_limit_rate=1.0, retry_after=3)

    response = ax_get(sandbox, "/v1/company/authorization", token)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.headers["Retry-After"] == "3"


def test_seed_makes_random_faults_repeatable(sandbox, token):
    def run() -> list[int]:
        sandbox.set_faults(error_rate=0.5, error_statuses=[500, 503], seed=42)
        return [ax_get(sandbox, "/v1/company/authorization", token).status_code for _ in range(12)]

    first = run()

    assert run() == first
    assert 200 in first
    assert set(first) - {200}


def test_random_drop_closes_the_connection(sandbox, token):
    sandbox.set_faults(drop_rate=1.0, paths=["/v1/company/authorization"])

    with pytest.raises(requests.ConnectionError):
        ax_get(sandbox, "/v1/company/authorization", token)


def test_latency_is_added_below_paths_only(sandbox, token):
    sandbox.set_faults(latency_ms=300, paths=["/v1/company/authorization"])

    started = time.monotonic()
    ax_get(sandbox, "/oauth2/current", token)
    fast = time.monotonic() - started
    started = time.monotonic()
    ax_get(sandbox, "/v1/company/authorization", token)
    slow = time.monotonic() - started

    assert slow >= 0.3
    assert fast < 0.3


def test_control_api_is_never_faulted(sandbox):
    sandbox.set_faults(error_rate=1.0, drop_rate=1.0)

    assert sandbox.stats()["requests"] == {}
    sandbox.reset()
    assert sandbox.faults()["drop_rate"] == 0.0


def test_put_faults_replaces_the_configuration(sandbox):
    sandbox.set_faults(latency_ms=50, error_rate=0.2)

    config = sandbox.set_faults(token_ttl=10)

    assert config["latency_ms"] == 0
    assert config["error_rate"] == 0.0
    assert config["token_ttl"] == 10
    assert config["error_statuses"] == [503]
    assert sandbox.faults() == config


def test_script_shows_the_times_left(sandbox, token):
    sandbox.script({"path": "/v1/company/authorization", "status": 503, "times": 3})
    ax_get(sandbox, "/v1/company/authorization", token)

    assert sandbox.faults()["script"][0]["times"] == 2


@pytest.mark.parametrize(
    ("config", "detail"),
    [
        ({"error_rate": 2}, "error_rate must be at most 1"),
        ({"latncy_ms": 5}, "unknown field latncy_ms"),
        (
            {"error_statuses": [200]},
            "error_statuses must be a non-empty list of HTTP error statuses",
        ),
        ({"script": [{"path": "v1/company", "status": 503}]}, "script[0]: path must start with /"),
        (
            {"script": [{"path": "/v1/company/authorization"}]},
            "script[0]: give status, hang_seconds or drop",
        ),
        ({"script": [{"path": "/x", "status": 503, "times": 0}]}, "script[0]: times must be"),
    ],
)
def test_bad_fault_configuration_is_refused(sandbox, config, detail):
    response = requests.put(f"{sandbox.control_url}/faults", json=config, timeout=5)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert any(line.startswith(detail) for line in response.json()["details"])


def test_unknown_path_is_a_json_404(sandbox):
    response = requests.get(f"{sandbox.ax_url}/v1/nothing-here", timeout=5)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_a_json_405(sandbox):
    response = requests.delete(f"{sandbox.ax_url}/oauth2/token", timeout=5)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.headers["Allow"] == "POST"
