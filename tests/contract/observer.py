"""The sandbox's observer in tests (``settings.SANDBOX_OBSERVER``): every answer of an API root,
and every request of the portal's client, checked against the AX schema as it happens.

It runs in the live server's thread, so it only records: the test that caused a violation fails
when its ``sandbox`` fixture tears down (``take_violations``), with the list. The client's
requests are told from a test's deliberately malformed ones by the client's User-Agent
(``MaventaPortal/<version>``, see ``maventa_portal.maventa.client_config``). The Validator,
Receivables and Payslip APIs are not in the AX schema: they are only counted. What was checked
is kept for ``make contract`` (``seen_snapshot``).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse

from tests.contract.contract import contract
from tests.contract.exceptions import REQUESTS, RESPONSES
from tests.contract.validators import FORMS, Answer, Request, check_answer, check_request
from tests.contract.violations import Violation, report

CLIENT_AGENT = "MaventaPortal/"

_lock = threading.Lock()
_violations: list[Violation] = []
_responses: dict[str, Counter] = {}  # operation -> statuses answered
_requests: Counter = Counter()  # operation -> client requests checked
_other_apis: Counter = Counter()  # "receivables GET /v1/assignments" -> requests


def observe(request: HttpRequest, response: HttpResponse) -> None:
    try:
        _observe(request, response)
    except Exception as exc:  # noqa: BLE001 - a broken check must fail the test, not the sandbox
        operation = f"{request.method} {getattr(request, 'sandbox_path', request.path)}"
        _record([Violation(RESPONSES, operation, "observer error", repr(exc))])


def _observe(request: HttpRequest, response: HttpResponse) -> None:
    api, path, method = request.sandbox_api, request.sandbox_path, request.method or "GET"
    if api != "ax":
        with _lock:
            _other_apis[f"{api} {method} {path}"] += 1
        return
    fault = getattr(request, "sandbox_fault", None)
    found: list[Violation] = []
    dropped = fault is not None and fault.drop
    if request.headers.get("User-Agent", "").startswith(CLIENT_AGENT):
        judge = contract(REQUESTS)
        found += judge.forgive(check_request(judge, _request(request, method, path, dropped)))
        _count_request(judge, method, path)
    if not dropped:  # a dropped request was never answered
        judge = contract(RESPONSES)
        answer = _answer(response)
        faulted = fault is not None and fault.status is not None
        found += judge.forgive(check_answer(judge, method, path, answer, fault=faulted))
        _count_answer(judge, method, path, response.status_code)
    _record(found)


def _request(request: HttpRequest, method: str, path: str, dropped: bool) -> Request:
    query = [(key, value) for key, values in request.GET.lists() for value in values]
    headers = {name.lower(): value for name, value in request.headers.items()}
    media_type = (request.content_type or "").lower()
    if dropped:
        # The sandbox shut the socket before reading the body: it can no longer be read.
        return Request(method, path, query, headers, media_type, None, body_read=False)
    if media_type in FORMS:
        body: Any = [(k, v) for k, values in request.POST.lists() for v in values]
        body += [(k, f.name) for k, files in request.FILES.lists() for f in files]
    else:
        body = request.body or None
    if media_type not in FORMS and body is None:
        media_type = ""
    return Request(method, path, query, headers, media_type, body)


def _answer(response: HttpResponse) -> Answer:
    headers = {name.lower(): value for name, value in response.items()}
    body = None if getattr(response, "streaming", False) else response.content
    return Answer(response.status_code, headers, body)


def _count_request(judge, method: str, path: str) -> None:
    match = judge.operations.find(method, path)
    if match is not None:
        with _lock:
            _requests[match.label] += 1


def _count_answer(judge, method: str, path: str, status: int) -> None:
    match = judge.operations.find(method, path)
    if match is not None:
        with _lock:
            _responses.setdefault(match.label, Counter())[str(status)] += 1


def _record(found: list[Violation]) -> None:
    if found:
        with _lock:
            _violations.extend(found)


def take_violations() -> list[Violation]:
    """The violations recorded since the last call, cleared."""
    with _lock:
        taken = list(_violations)
        _violations.clear()
    return taken


def fail_on_violations() -> None:
    """Fails the current test with every violation recorded since the last check."""
    violations = take_violations()
    if violations:
        pytest.fail(report(violations), pytrace=False)


def seen_snapshot() -> dict[str, Any]:
    with _lock:
        return {
            "responses": {label: dict(statuses) for label, statuses in _responses.items()},
            "requests": dict(_requests),
            "other_apis": dict(_other_apis),
        }
