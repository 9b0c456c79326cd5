"""The front door of every imitated API: count the request, apply faults, then route it.

``/sandbox/<api><path>`` lands here whatever the path, so that a fault or a count applies to
every request the way a proxy in front of Maventa would, unknown paths answer Maventa's JSON
404, and ``/_control/`` (routed elsewhere) is never faulted. Each API's own routes live in
``routes/<api>.py`` and are resolved against the path relative to the API root.

Every answer of an API root is shown to ``settings.SANDBOX_OBSERVER`` when that names a callable
(a dotted path, imported when first needed: the sandbox imports nothing that observes it). The
test suite checks the answers against Maventa's schema that way; ``make run`` sets none. The
observer gets the request (with ``sandbox_api``, ``sandbox_path`` and ``sandbox_fault``, the
fault applied or None) and the response, and must not raise.
"""

import time
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string
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
    response = _serve(request, api, path or "/")
    observer_name = getattr(settings, "SANDBOX_OBSERVER", None)
    if observer_name:
        import_string(observer_name)(request, response)
    return response


def _serve(request: HttpRequest, api: str, path: str) -> HttpResponse:
    method = request.method or "GET"
    disable_nagle(request.META)
    # The webhook sender runs in the process that serves the sandbox (webhook_sender.py). It
    # is imported here, not at the top: tools read the gateway before Django's apps are ready.
    from .webhook_sender import dispatcher

    dispatcher.ensure_started()
    request.sandbox_api = api
    request.sandbox_path = path
    stats.record_request(api, method, path)
    fault = switchboard.decide(api, method, path)
    request.sandbox_fault = fault
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
