"""The front door of every imitated API: count the request, apply faults, then route it.

``/sandbox/<api><path>`` lands here whatever the path, so that a fault or a count applies to
every request the way a proxy in front of Maventa would, unknown paths answer Maventa's JSON
404, and ``/_control/`` (routed elsewhere) is never faulted. Each API's own routes live in
``routes/<api>.py`` and are resolved against the path relative to the API root.
"""

import time
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

from .connection import disable_nagle, drop_connection
from .faults import Fault, switchboard
from .responses import error
from .stats import stats

ROUTES = {
    "ax": "maventa_portal.sandbox.routes.ax",
    "validator": "maventa_portal.sandbox.routes.validator",
    "receivables": "maventa_portal.sandbox.routes.receivables",
    "payslip": "maventa_portal.sandbox.routes.payslip",
}
API_PATTERN = "|".join(ROUTES)

_FAULT_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


@csrf_exempt
def serve(request: HttpRequest, api: str, path: str | None = None) -> HttpResponse:
    path = path or "/"
    method = request.method or "GET"
    disable_nagle(request.META)
    request.sandbox_api = api
    request.sandbox_path = path
    stats.record_request(api, method, path)
    fault = switchboard.decide(api, method, path)
    if fault is not None:
        response = apply_fault(request, fault)
        if response is not None:
            return response
    try:
        match = resolve(path, urlconf=ROUTES[api])
    except Resolver404:
        return error(404, "not_found", f"No such resource: {path}")
    return match.func(request, *match.args, **match.kwargs)


def apply_fault(request: HttpRequest, fault: Fault) -> HttpResponse | None:
    """A response that replaces the real one, or None to handle the request after all."""
    if fault.hang_seconds:
        time.sleep(fault.hang_seconds)
    if fault.drop:
        return drop_connection(request)
    if fault.status is None:
        return None
    return fault_response(fault.status, fault.retry_after)


def fault_response(status: int, retry_after: int | None) -> HttpResponse:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(retry_after if retry_after is not None else 1)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    code = _FAULT_CODES.get(status, "error")
    return error(status, code, f"{phrase} (sandbox fault)", headers=headers)
