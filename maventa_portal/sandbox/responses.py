"""How the sandbox answers: Maventa's error body and the small helpers every view shares.

Every error is an ``APIEntitiesError`` (FIELDS.md section 0): ``{"code", "message", "details"?}``.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse


class BadRequest(Exception):
    """Raised by body parsers; the view answers 400 ``invalid_parameters`` with the details."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


def error(
    status: int,
    code: str,
    message: str,
    details: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    # Refusals and injected faults are the imitated remote side's business: Django would log
    # each one as a portal warning or error, burying the portal's own log under them.
    response._has_been_logged = True
    return response


def bad_request(exc: BadRequest) -> JsonResponse:
    return error(400, "invalid_parameters", exc.message, exc.details)


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False)


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def isoformat(moment: datetime) -> str:
    """FIELDS.md section 0: date-times are ISO 8601 UTC with a ``Z``. ``isoformat`` rather than
    ``strftime``, whose ``%Y`` leaves a year before 1000 unpadded (``378-01-27``)."""
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


# Maventa's server is Ruby (FIELDS.md section 0), whose JSON parser refuses nesting deeper
# than 100 by default; deeper input is refused here before Python's recursion limit is reached.
MAX_JSON_DEPTH = 100
NOT_JSON = "{what} is not valid JSON"
TOO_DEEP = f"{{what}} is nested more than {MAX_JSON_DEPTH} levels deep"


def parse_json(text: str | bytes, what: str = "The request body") -> Any:
    """JSON text, or BadRequest: malformed, not UTF-8, or nested too deeply (never a 500)."""
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise BadRequest(TOO_DEEP.format(what=what)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(NOT_JSON.format(what=what)) from exc
    if _depth(data) > MAX_JSON_DEPTH:
        raise BadRequest(TOO_DEEP.format(what=what))
    return data


def _depth(data: Any) -> int:
    """Nesting depth, counted without recursion (the input is untrusted)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in value)
    return deepest


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The one way a sandbox view reads a JSON body: a JSON object, or BadRequest (400)."""
    if not request.body:
        return {}
    data = parse_json(request.body)
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object")
    return data


def by_method(**handlers: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One path, one view per method (GET may need a token where POST needs none)."""
    allowed = ", ".join(sorted(handlers))

    def dispatch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handler = handlers.get(request.method or "")
        if handler is None:
            return error(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here",
                headers={"Allow": allowed},
            )
        return handler(request, *args, **kwargs)

    return dispatch


def api_root(request: HttpRequest) -> str:
    """The absolute URL of the API the request came to (``http://host/sandbox/ax``), for links
    such as a file's ``href``; the gateway sets ``sandbox_path`` below it."""
    path = request.path
    below = getattr(request, "sandbox_path", "")
    root = path[: len(path) - len(below)] if below and path.endswith(below) else path
    return request.build_absolute_uri(root).rstrip("/")


def download(content: bytes, mimetype: str, filename: str) -> HttpResponse:
    """A file as the body, named for saving (Content-Disposition, RFC 6266)."""
    response = HttpResponse(content, content_type=mimetype)
    safe = "".join(ch for ch in filename if ch.isascii() and ch not in '"\\\r\n') or "file"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
