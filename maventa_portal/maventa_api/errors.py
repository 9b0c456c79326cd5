"""Every failure of a Maventa call is one of these kinds.

Each carries two texts: ``staff_message``, fit to show a staff user as it is, and the
technical detail (method, URL, status, Maventa's error code and message) that ``str()``
gives for the log. Neither ever holds a secret: URLs are redacted before they are kept, and
request bodies and headers are never kept at all.

One function, ``error_from_response``, maps an HTTP answer to its kind; add a kind there.
Error bodies come in two shapes, both read: Maventa's ``APIEntitiesError`` ``{code, message,
details}`` (FIELDS.md section 0) and OAuth2's ``{error, error_description}`` (RFC 6749
section 5.2), which token endpoints commonly answer.

A 401 that outlives a fresh token is not always the keys' fault: the keys just yielded that
token. Maventa's generic 401 also means "no access to the requested resource" (FIELDS.md
section 12, item 26), which for a token fetched with a narrow scope, or when Maventa's code
says so, is the scope; the staff message then names the scope instead of the keys.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SECRET_QUERY_KEYS = frozenset({"secret", "api_key", "client_secret", "vendor_api_key", "token"})

UNAVAILABLE_MESSAGE = "Maventa is unavailable, please try again later."
OUT_OF_SCOPE_MESSAGE = "The token's scope ({scope}) does not cover {resource}."
SCOPE_REFUSED_MESSAGE = "Maventa refused the token scope asked for ({scope})."
# OAuth2's codes for a token short of scope, and for a scope not granted (RFC 6750 section 3.1,
# RFC 6749 section 5.2); Maventa documents no code of its own for either.
SCOPE_CODES = frozenset({"insufficient_scope", "invalid_scope"})


def redact_url(url: str) -> str:
    """Drops userinfo and masks secret-looking query parameters."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    query = urlencode(
        [
            (key, "***" if key.lower() in SECRET_QUERY_KEYS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


class MaventaError(Exception):
    staff_message = "Maventa could not handle the request."

    def __init__(
        self,
        detail: str = "",
        *,
        method: str = "",
        url: str = "",
        status: int | None = None,
        code: str = "",
        body: Any = None,
        staff_message: str | None = None,
    ) -> None:
        self.detail = detail
        self.method = method
        self.url = redact_url(url) if url else ""
        self.status = status
        self.code = code
        self.body = body
        if staff_message is not None:
            self.staff_message = staff_message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        status = f" -> {self.status}" if self.status is not None else ""
        code = f" [{self.code}]" if self.code else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{type(self).__name__}: {where}{status}{code}{detail}"

    def __repr__(self) -> str:
        return f"<{self}>"


class Unavailable(MaventaError):
    staff_message = UNAVAILABLE_MESSAGE


class AmbiguousOutcome(Unavailable):
    """The request may have reached Maventa; look the object up before sending again."""

    staff_message = (
        "Maventa did not answer in time. The request may still have been accepted: "
        "check its status before sending it again."
    )


class RateLimited(Unavailable):
    staff_message = "Maventa is busy right now, please try again in a moment."

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class Unauthorized(MaventaError):
    staff_message = "Maventa did not accept the credentials. Check the API keys."


class Forbidden(MaventaError):
    def __init__(self, *args: Any, resource: str = "", **kwargs: Any) -> None:
        self.resource = resource
        kwargs.setdefault("staff_message", f"No access to {resource or 'this resource'}.")
        super().__init__(*args, **kwargs)


class NotFound(MaventaError):
    staff_message = "Maventa does not know this object (or gives no access to it)."


class Invalid(MaventaError):
    staff_message = "Maventa refused the request as invalid."

    def __init__(self, *args: Any, details: list[str] | None = None, **kwargs: Any) -> None:
        self.details = details or []
        super().__init__(*args, **kwargs)


class Conflict(MaventaError):
    staff_message = "Maventa refused the request because it conflicts with the current state."


_KIND_BY_STATUS: dict[int, type[MaventaError]] = {
    400: Invalid,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Invalid,
    429: RateLimited,
}


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        # An HTTP date is allowed too; Maventa sends seconds, so a date gets the default wait.
        return None


def error_fields(body: Any) -> tuple[str, str, list[str]]:
    """``(code, message, details)`` of an error body in either shape; empty when absent."""
    if isinstance(body, str):
        return "", body[:300], []
    if not isinstance(body, dict):
        return "", "", []
    code = body.get("code") or body.get("error") or ""
    message = body.get("message") or body.get("error_description") or ""
    raw_details = body.get("details") or []
    details = [str(line) for line in raw_details] if isinstance(raw_details, list) else []
    return str(code), str(message), details


def error_from_response(
    *,
    method: str,
    url: str,
    status: int,
    body: Any,
    headers: dict[str, str] | None = None,
    resource: str = "",
    token_scope: str | None = None,
    scope_asked: bool = False,
) -> MaventaError:
    """Maps an HTTP error answer to its kind, with Maventa's `APIEntitiesError` fields.

    ``token_scope``: the scope of the token the request carried (None: no token);
    ``scope_asked``: whether that token was fetched with a scope of the caller's choosing.
    """
    headers = headers or {}
    code, message, details = error_fields(body)
    kind = _KIND_BY_STATUS.get(status)
    if kind is None:
        kind = Unavailable if status >= 500 else MaventaError
    common = {"method": method, "url": url, "status": status, "code": code, "body": body}
    if kind is Unauthorized:
        staff = _unauthorized_staff_message(code, message, resource, token_scope, scope_asked)
        return Unauthorized(message, staff_message=staff, **common)
    if kind is Forbidden:
        return Forbidden(message, resource=resource, **common)
    if kind is RateLimited:
        return RateLimited(
            message, retry_after=parse_retry_after(headers.get("Retry-After")), **common
        )
    if kind is Invalid:
        staff = _invalid_staff_message(message, details)
        return Invalid(message, details=details, staff_message=staff, **common)
    if kind in (Conflict, NotFound) and message:
        return kind(
            message, staff_message=f"{kind.staff_message} Maventa said: {message}", **common
        )
    return kind(message, **common)


def _unauthorized_staff_message(
    code: str, message: str, resource: str, token_scope: str | None, scope_asked: bool
) -> str:
    """The scope when Maventa's code names it or the caller narrowed it, else the keys."""
    if code in SCOPE_CODES or (scope_asked and token_scope is not None):
        staff = OUT_OF_SCOPE_MESSAGE.format(
            scope=token_scope or "the default", resource=resource or "this resource"
        )
    else:
        staff = Unauthorized.staff_message
    return f"{staff} Maventa said: {message}" if message else staff


def token_refused(*, client_id: str, scope: str, url: str, status: int, body: Any) -> Unauthorized:
    """`POST /oauth2/token` answered 400 or 401, in either error shape. The body is not kept:
    a token endpoint may echo what was sent."""
    code, message, _ = error_fields(body)
    if code in SCOPE_CODES:
        staff = SCOPE_REFUSED_MESSAGE.format(scope=scope or "the default")
    else:
        staff = Unauthorized.staff_message
    return Unauthorized(
        f"token refused for client {client_id}" + (f": {message}" if message else ""),
        method="POST",
        url=url,
        status=status,
        code=code,
        staff_message=f"{staff} Maventa said: {message}" if message else staff,
    )


def refused_here(detail: str, staff_message: str) -> Invalid:
    """A request the client does not send, as Maventa would refuse it: no status, as nothing
    left. Staff see `staff_message` as they would Maventa's refusal."""
    return Invalid(f"not sent: {detail}", staff_message=staff_message)


def _invalid_staff_message(message: str, details: list[str]) -> str:
    said = "; ".join([message, *details]) if message else "; ".join(details)
    if not said:
        return Invalid.staff_message
    return f"Maventa refused the request: {said}"
