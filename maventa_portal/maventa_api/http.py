"""The transport: one pooled session, timeouts always set, and the retry policy.

The decision this module owns: what may be sent again.
- Idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried on connection errors,
  timeouts, 429, 502, 503 and 504, with exponential backoff and jitter; a Retry-After header
  is honoured.
- Any method is retried when Maventa cannot have seen it: the connection was never made
  (refused, or a connect timeout), or Maventa answered 429 (refused before handling it).
- A POST or PATCH whose request may have reached Maventa (read timeout, connection dropped
  after sending) is never resent: it raises AmbiguousOutcome, and the caller looks the
  object up before sending anything again.

Calls made inside ``deadline(seconds)`` (the portal wraps every web request in one) each get
at most that long, retries, backoff and the token fetch included: timeouts and waits are cut
to the time left, and a call out of time raises Unavailable with ``SLOW_MESSAGE`` (or
AmbiguousOutcome, when a POST was sent). Without it, calls keep the configured timeouts.
requests' read timeout bounds each wait for bytes, not a whole slow-trickling answer;
Maventa either answers or goes quiet, which the deadline does cut.
This is the only module that imports requests' exceptions.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from .config import ClientConfig, RetryPolicy
from .errors import AmbiguousOutcome, RateLimited, Unavailable, parse_retry_after, redact_url

log = logging.getLogger("maventa_api")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})


SLOW_MESSAGE = (
    "Maventa did not answer within {seconds:g} seconds; try again, or come back in a few "
    "minutes if Maventa stays slow."
)
SLOW_AMBIGUOUS_MESSAGE = (
    "Maventa did not answer within {seconds:g} seconds. The request may still have been "
    "accepted: check its status before sending it again."
)


@dataclass(frozen=True)
class Deadline:
    """When the call under way must be over, on the monotonic clock."""

    seconds: float
    ends: float

    def left(self) -> float:
        return self.ends - time.monotonic()

    def too_slow(self, method: str, url: str, detail: str = "deadline passed") -> Unavailable:
        return Unavailable(
            f"{detail} ({self.seconds:g} s)",
            method=method,
            url=url,
            staff_message=SLOW_MESSAGE.format(seconds=self.seconds),
        )


# The budget each call gets (set by `deadline`), and the window of the call under way: the
# outermost call opens it, the calls inside it (token fetch, the 401 resend) share it.
_budget: ContextVar[float | None] = ContextVar("maventa_call_budget", default=None)
_window: ContextVar[Deadline | None] = ContextVar("maventa_call_window", default=None)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Each Maventa call made inside the block (this thread or task) gets at most `seconds`,
    retries and backoff included. None lifts it for the block."""
    token = _budget.set(seconds if seconds and seconds > 0 else None)
    try:
        yield
    finally:
        _budget.reset(token)


@contextmanager
def call_window() -> Iterator[Deadline | None]:
    """The deadline of the call under way, opened here when none is and a budget is set."""
    current, seconds = _window.get(), _budget.get()
    if current is not None or seconds is None:
        yield current
        return
    window = Deadline(seconds, time.monotonic() + seconds)
    token = _window.set(window)
    try:
        yield window
    finally:
        _window.reset(token)


def current_deadline() -> Deadline | None:
    return _window.get()


def jitter() -> float:
    """The one source of randomness in the client: tests patch it."""
    return random.random()  # noqa: S311 - spreading retries, not cryptography


def backoff_delay(attempt: int, policy: RetryPolicy) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random."""
    ceiling = min(policy.backoff_max, policy.backoff_base * (2**attempt))
    return ceiling / 2 + ceiling / 2 * jitter()


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str] = field(repr=False)
    content: bytes = field(repr=False)
    url: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def body(self) -> Any:
        """JSON decoded when Maventa says it is JSON, else text (or None when empty)."""
        if not self.content:
            return None
        if self.content_type.endswith("json"):
            try:
                return json.loads(self.content)
            except ValueError:
                return self.content.decode("utf-8", "replace")
        return self.content.decode("utf-8", "replace")


def _never_sent(exc: requests.exceptions.ConnectionError) -> bool:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


class Transport:
    def __init__(
        self,
        config: ClientConfig,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.session = session or self._new_session(config)

    @staticmethod
    def _new_session(config: ClientConfig) -> requests.Session:
        session = requests.Session()
        # Retries are ours (below); urllib3's own would resend POSTs we must not resend.
        adapter = HTTPAdapter(
            pool_connections=config.pool_size, pool_maxsize=config.pool_size, max_retries=0
        )
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = config.user_agent
        session.headers["Accept"] = "application/json"
        # Never pick up credentials from ~/.netrc or proxies from the environment by surprise.
        session.trust_env = False
        return session

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        timeout: tuple[float, float] | None = None,
        idempotent: bool | None = None,
    ) -> HttpResponse:
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        request = {
            "headers": headers,
            "params": params,
            "json": json,
            "data": data,
            "files": files,
            "allow_redirects": False,
        }
        with call_window() as window:
            return self._send(
                method,
                url,
                request,
                timeout or (self.config.connect_timeout, self.config.read_timeout),
                idempotent,
                window,
            )

    def _send(
        self,
        method: str,
        url: str,
        request: dict[str, Any],
        timeout: tuple[float, float],
        idempotent: bool,
        window: Deadline | None,
    ) -> HttpResponse:
        policy = self.config.retry
        shown_url = redact_url(url)
        attempt = 0
        while True:
            started = time.monotonic()
            attempt_timeout, cut = _within(timeout, window, method, url)
            try:
                raw = self.session.request(method, url, timeout=attempt_timeout, **request)
            except requests.exceptions.ConnectionError as exc:
                if _never_sent(exc):
                    failure = Unavailable(
                        f"could not connect ({type(exc).__name__})", method=method, url=url
                    )
                    if cut and isinstance(exc, requests.exceptions.ConnectTimeout):
                        raise window.too_slow(method, url, "no connection in time") from exc
                elif idempotent:
                    failure = Unavailable(
                        f"connection failed ({type(exc).__name__})", method=method, url=url
                    )
                else:
                    raise AmbiguousOutcome(
                        f"connection lost after sending ({type(exc).__name__})",
                        method=method,
                        url=url,
                    ) from exc
                if attempt >= policy.max_retries:
                    raise failure from exc
                if not self._wait(attempt, None, method, shown_url, type(exc).__name__, window):
                    raise failure from exc
                attempt += 1
                continue
            except requests.exceptions.Timeout as exc:
                # A read timeout: the request was sent and may be handled.
                if not idempotent:
                    raise _ambiguous(method, url, window if cut else None) from exc
                if cut:
                    raise window.too_slow(method, url, "no answer in time") from exc
                failure = Unavailable("no answer in time", method=method, url=url)
                if attempt >= policy.max_retries:
                    raise failure from exc
                if not self._wait(attempt, None, method, shown_url, "read timeout", window):
                    raise failure from exc
                attempt += 1
                continue
            except requests.exceptions.RequestException as exc:
                raise Unavailable(
                    f"request failed ({type(exc).__name__})", method=method, url=url
                ) from exc

            response = HttpResponse(
                status=raw.status_code, headers=raw.headers, content=raw.content, url=url
            )
            log.debug(
                "%s %s -> %s in %.0f ms",
                method,
                shown_url,
                raw.status_code,
                (time.monotonic() - started) * 1000,
            )
            retryable = raw.status_code in RETRY_STATUSES and (idempotent or raw.status_code == 429)
            if not retryable or attempt >= policy.max_retries:
                return response
            retry_after = parse_retry_after(raw.headers.get("Retry-After"))
            if retry_after is not None and retry_after > policy.retry_after_max:
                # Too long to hold a worker: the caller gets RateLimited and reschedules.
                return response
            if not self._wait(
                attempt, retry_after, method, shown_url, str(raw.status_code), window
            ):
                return response
            attempt += 1

    def _wait(
        self,
        attempt: int,
        retry_after: float | None,
        method: str,
        url: str,
        why: str,
        window: Deadline | None,
    ) -> bool:
        """Sleeps before the next attempt; False when the deadline leaves no time for it."""
        delay = (
            retry_after if retry_after is not None else backoff_delay(attempt, self.config.retry)
        )
        if window is not None and delay + MIN_ATTEMPT_SECONDS >= window.left():
            # Sleeping away the rest only to fail after it: the last failure is the answer.
            log.info("Not retrying %s %s after %s: the call's deadline is near", method, url, why)
            return False
        log.info(
            "Retrying %s %s after %s in %.2f s (attempt %d)", method, url, why, delay, attempt + 2
        )
        self.sleep(delay)
        return True


# An attempt with less time than this left is not worth starting after a wait.
MIN_ATTEMPT_SECONDS = 0.2


def _within(
    timeout: tuple[float, float], window: Deadline | None, method: str, url: str
) -> tuple[tuple[float, float], bool]:
    """The attempt's (connect, read) timeouts cut to the time left, and whether they were."""
    if window is None:
        return timeout, False
    left = window.left()
    if left <= 0:
        raise window.too_slow(method, url)
    connect, read = timeout
    return (min(connect, left), min(read, left)), left < max(connect, read)


def _ambiguous(method: str, url: str, window: Deadline | None) -> AmbiguousOutcome:
    if window is None:
        return AmbiguousOutcome("no answer in time after sending", method=method, url=url)
    return AmbiguousOutcome(
        f"no answer within the deadline after sending ({window.seconds:g} s)",
        method=method,
        url=url,
        staff_message=SLOW_AMBIGUOUS_MESSAGE.format(seconds=window.seconds),
    )


__all__ = [
    "Deadline",
    "HttpResponse",
    "RateLimited",
    "SLOW_MESSAGE",
    "Transport",
    "backoff_delay",
    "call_window",
    "current_deadline",
    "deadline",
    "jitter",
]
