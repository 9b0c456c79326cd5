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
This is the only module that imports requests' exceptions.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
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
        timeout = timeout or (self.config.connect_timeout, self.config.read_timeout)
        policy = self.config.retry
        shown_url = redact_url(url)
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                raw = self.session.request(
                    method,
                    url,
                    headers=headers,
                    params=params,
                    json=json,
                    data=data,
                    files=files,
                    timeout=timeout,
                    allow_redirects=False,
                )
            except requests.exceptions.ConnectionError as exc:
                if _never_sent(exc):
                    failure = Unavailable(
                        f"could not connect ({type(exc).__name__})", method=method, url=url
                    )
                    retry_ok = True
                elif idempotent:
                    failure = Unavailable(
                        f"connection failed ({type(exc).__name__})", method=method, url=url
                    )
                    retry_ok = True
                else:
                    raise AmbiguousOutcome(
                        f"connection lost after sending ({type(exc).__name__})",
                        method=method,
                        url=url,
                    ) from exc
                if attempt >= policy.max_retries or not retry_ok:
                    raise failure from exc
                self._wait(attempt, None, method, shown_url, type(exc).__name__)
                attempt += 1
                continue
            except requests.exceptions.Timeout as exc:
                # A read timeout: the request was sent and may be handled.
                if not idempotent:
                    raise AmbiguousOutcome(
                        "no answer in time after sending", method=method, url=url
                    ) from exc
                if attempt >= policy.max_retries:
                    raise Unavailable("no answer in time", method=method, url=url) from exc
                self._wait(attempt, None, method, shown_url, "read timeout")
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
            self._wait(attempt, retry_after, method, shown_url, str(raw.status_code))
            attempt += 1

    def _wait(
        self, attempt: int, retry_after: float | None, method: str, url: str, why: str
    ) -> None:
        delay = (
            retry_after if retry_after is not None else backoff_delay(attempt, self.config.retry)
        )
        log.info(
            "Retrying %s %s after %s in %.2f s (attempt %d)", method, url, why, delay, attempt + 2
        )
        self.sleep(delay)


__all__ = ["HttpResponse", "Transport", "RateLimited", "backoff_delay", "jitter"]
