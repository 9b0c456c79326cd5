"""Every error under /sandbox/ is Maventa's JSON APIEntitiesError (FIELDS.md section 0): unknown
paths (a newline in one included), a view that fails, and malformed or deeply nested JSON on
every endpoint that reads a JSON body."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from maventa_portal.sandbox.views import ax_companies
from tests.sandbox.conftest import ax_call
from tests.sandbox.test_profiles import INVOICES, registered

pytestmark = pytest.mark.sandbox

DEEP = "[" * 100_000 + "]" * 100_000
JUST_TOO_DEEP = '{"a": ' * 100 + "[]" + "}" * 100
MALFORMED = '{"auth_email": '


def assert_api_error(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) <= {"code", "message", "details"}
    assert isinstance(body["code"], str)
    assert isinstance(body["message"], str)
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/ax/v1/company/authorization%0A",
        "/ax/v1/company/profiles/%0A",
        "/ax%0A",
        "/nothing-here",
        "/ax/oauth2/current%0A%0D",
    ],
)
def test_unknown_paths_answer_a_json_404(sandbox, token, path):
    response = requests.get(
        f"{sandbox.base_url}{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )

    body = assert_api_error(response, HTTPStatus.NOT_FOUND)
    assert body["code"] == "not_found"


def test_a_failing_view_answers_a_json_500(sandbox, token, monkeypatch):
    def broken(company):
        raise RuntimeError("a bug in the sandbox")

    monkeypatch.setattr(ax_companies.lifecycle, "advance", broken)

    response = ax_call(sandbox, "GET", "/v1/company/authorization", token)

    body = assert_api_error(response, HTTPStatus.INTERNAL_SERVER_ERROR)
    assert body["code"] == "internal_server_error"
    assert "a bug" not in response.text


@pytest.fixture
def json_endpoints(sandbox, company, token) -> list[tuple[str, str, str | None]]:
    """(method, url, token) of every sandbox endpoint that reads a JSON body."""
    profile = registered(sandbox, token, network="VISMA", profiles=INVOICES)["id"]
    ax, control = sandbox.ax_url, sandbox.control_url
    return [
        ("POST", f"{ax}/v1/users", None),
        ("POST", f"{ax}/v1/company/authorization", token),
        ("POST", f"{ax}/v1/companies/authorizations", token),
        ("POST", f"{ax}/v1/company/profiles", token),
        ("PATCH", f"{ax}/v1/company/profiles/{profile}", token),
        ("PUT", f"{ax}/v1/company/profiles/{profile}/extensions", token),
        ("PUT", f"{control}/faults", None),
        ("POST", f"{control}/accounts", None),
        ("PUT", f"{control}/lifecycle", None),
        ("POST", f"{control}/companies/{company['company_id']}", None),
        ("POST", f"{control}/profiles/{profile}", None),
    ]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (DEEP, "nested more than 100 levels deep"),
        (JUST_TOO_DEEP, "nested more than 100 levels deep"),
        (MALFORMED, "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_bad_json_bodies_answer_400_on_every_endpoint(sandbox, json_endpoints, body, says):
    for method, url, token in json_endpoints:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"

        response = requests.request(method, url, data=body, headers=headers, timeout=30)

        error = assert_api_error(response, HTTPStatus.BAD_REQUEST)
        assert error["code"] == "invalid_parameters", (method, url)
        assert says in error["message"], (method, url, error)


def test_nesting_up_to_the_limit_is_read(sandbox, token):
    settings = {"a": {}}
    inner = settings["a"]
    for _ in range(97):  # 100 levels with the body and network_settings themselves
        inner["a"] = {}
        inner = inner["a"]

    response = ax_call(
        sandbox,
        "POST",
        "/v1/company/profiles",
        token,
        json={"network": "VISMA", "profiles": INVOICES, "network_settings": settings},
    )

    assert response.status_code == HTTPStatus.CREATED, response.text
