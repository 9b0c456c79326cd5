"""The checks catch what they are for: each breach below must be reported (no sandbox needed)."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from tests.contract import observer
from tests.contract.contract import contract
from tests.contract.exceptions import REQUESTS, RESPONSES
from tests.contract.validators import Answer, Request, check_answer, check_request
from tests.contract.violations import (
    AUTH,
    BODY,
    MEDIA_TYPE,
    PARAMETER,
    UNDOCUMENTED_OPERATION,
    UNDOCUMENTED_STATUS,
)

PROFILE = {"id": "p1", "status": "active", "profiles": ["INVOICE_AND_CREDIT_NOTE"]}
BEARER = {"authorization": "Bearer t"}
JSON = {"content-type": "application/json"}


def answer_kinds(method, path, status, body=None, headers=JSON, fault=False):
    raw = b"" if body is None else json.dumps(body).encode()
    judge = contract(RESPONSES)
    found = check_answer(judge, method, path, Answer(status, headers, raw), fault=fault)
    return [v.kind for v in judge.forgive(found)]


def request_kinds(method, path, query=(), body=None, media="", headers=BEARER):
    judge = contract(REQUESTS)
    found = check_request(judge, Request(method, path, list(query), headers, media, body))
    return [v.kind for v in judge.forgive(found)]


def test_a_fitting_answer_passes():
    assert answer_kinds("GET", "/v1/company/profiles/p1", 200, PROFILE) == []


@pytest.mark.parametrize(
    ("status", "body", "headers", "kind"),
    [
        (418, PROFILE, JSON, UNDOCUMENTED_STATUS),
        (200, {**PROFILE, "status": "ACTIVE"}, JSON, BODY),  # not in the enum
        (200, {**PROFILE, "invented": 1}, JSON, BODY),  # the sandbox invents nothing
        (200, PROFILE, {"content-type": "text/html"}, MEDIA_TYPE),
        (500, {"code": 5}, JSON, BODY),  # a generic error is an APIEntitiesError
    ],
)
def test_an_answer_off_the_schema_is_reported(status, body, headers, kind):
    assert kind in answer_kinds("GET", "/v1/company/profiles/p1", status, body, headers)


def test_a_body_where_none_is_documented_is_reported():
    assert answer_kinds("DELETE", "/v1/company/profiles/p1", 204, {"ok": True}) == [BODY]


def test_unknown_paths_may_answer_404_but_nothing_else():
    error = {"code": "not_found", "message": "No such resource"}

    assert answer_kinds("GET", "/v1/nothing", 404, error) == []
    assert answer_kinds("GET", "/v1/nothing", 200, {}) == [UNDOCUMENTED_OPERATION]


def test_departures_forgive_only_what_they_name():
    error = {"code": "too_many_requests", "message": "Slow down"}

    assert answer_kinds("PUT", "/v1/company/profiles", 405, error) == []  # method-not-allowed
    assert answer_kinds("GET", "/oauth2/current", 429, error, fault=True) == []  # injected
    assert answer_kinds("GET", "/oauth2/current", 429, error) == [UNDOCUMENTED_STATUS]
    assert answer_kinds("GET", "/oauth2/current", 429, {"code": 1}, fault=True) == [BODY]


def test_a_fitting_request_passes():
    query = [("network[]", "PEPPOL"), ("status[]", "active")]

    assert request_kinds("GET", "/v1/company/profiles", query) == []


@pytest.mark.parametrize(
    "query",
    [
        [("status", "active")],  # the wire name is status[]
        [("status[]", "ACTIVE")],  # not in the enum
        [("colour", "red")],  # unknown
    ],
)
def test_query_parameters_off_the_schema_are_reported(query):
    assert PARAMETER in request_kinds("GET", "/v1/company/profiles", query)


def test_required_parameters_are_checked():
    kinds = request_kinds("GET", "/v1/operator/companies", [("bid", "2660421-6")])

    assert kinds == [PARAMETER]


def test_bodies_are_checked_by_media_type_and_schema():
    path = "/v1/company/authorization"
    good = json.dumps({"auth_email": "a@example.com", "locale": "FI"}).encode()
    no_locale = json.dumps({"auth_email": "a@example.com"}).encode()
    form = [("auth_email", "a@example.com"), ("locale", "FI")]

    assert request_kinds("POST", path, body=good, media="application/json") == []
    assert request_kinds("POST", path, body=no_locale, media="application/json") == [BODY]
    assert request_kinds("POST", path, body=form, media="multipart/form-data") == [MEDIA_TYPE]


def test_form_values_are_read_as_their_types():
    token = [("grant_type", "client_credentials"), ("client_id", "c"), ("client_secret", "s")]
    media = "application/x-www-form-urlencoded"

    assert request_kinds("POST", "/oauth2/token", body=token, media=media, headers={}) == []
    wrong = [("grant_type", "password")]
    assert request_kinds("POST", "/oauth2/token", body=wrong, media=media, headers={}) == [BODY]


def test_a_secured_operation_needs_a_bearer_token():
    assert request_kinds("GET", "/oauth2/current", headers={}) == [AUTH]


def test_the_observer_records_and_the_fixture_check_fails_the_test():
    request = RequestFactory().get("/sandbox/ax/v1/company/profiles", {"status": "active"})
    request.META["HTTP_USER_AGENT"] = "MaventaPortal/0.1.0"
    request.META["HTTP_AUTHORIZATION"] = "Bearer t"
    request.sandbox_api, request.sandbox_path, request.sandbox_fault = "ax", request.path[11:], None

    observer.observe(request, JsonResponse([{"status": "ACTIVE"}], safe=False))
    observer.observe(request, HttpResponse("<html>", status=200))

    with pytest.raises(pytest.fail.Exception) as failed:
        observer.fail_on_violations()
    assert "client request GET /v1/company/profiles: parameter: status sent under" in str(
        failed.value
    )
    assert "sandbox answer GET /v1/company/profiles -> 200: body: $[0].status" in str(failed.value)
    assert "media type: text/html" in str(failed.value)
    assert observer.take_violations() == []
