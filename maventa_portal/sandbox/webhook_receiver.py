"""A destination for the sandbox's webhooks that records what reaches it, for tests and benchmarks.

An ``http.server`` on a free loopback port, in a daemon thread; it imports nothing of Django,
like ``control_client``. Each POST is kept (path, query, headers, JSON body) and answered
``status`` (204), except the first ``failures`` ones, answered ``failure_status`` (500) after
``hang_seconds`` (0), so that a test can watch Maventa's retry rule at work.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int  # what the receiver answered
    at: float = field(default_factory=time.monotonic)


class WebhookReceiver:
    def __init__(
        self,
        *,
        status: int = 204,
        failures: int = 0,
        failure_status: int = 500,
        hang_seconds: float = 0.0,
    ):
        self.status = status
        self.failures = failures
        self.failure_status = failure_status
        self.hang_seconds = hang_seconds
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(
        self, path: str = "/hook", *, user: str | None = None, password: str | None = None
    ) -> str:
        auth = f"{quote(user or '', safe='')}:{quote(password or '', safe='')}@" if user else ""
        return f"http://{auth}127.0.0.1:{self.port}{path}"

    def bodies(self) -> list[Any]:
        with self._lock:
            return [r.body for r in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The first ``count`` requests, once they have come; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received[:count])
            time.sleep(0.02)
        with self._lock:
            got = len(self.received)
        raise AssertionError(f"expected {count} webhook requests within {timeout} s, got {got}")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, received: Received) -> int:
        with self._lock:
            failing = self.failures > 0
            if failing:
                self.failures -= 1
            received.status = self.failure_status if failing else self.status
            self.received.append(received)
        if failing and self.hang_seconds:
            time.sleep(self.hang_seconds)
        return received.status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
                parts = urlsplit(self.path)
                received = Received(
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers=dict(self.headers.items()),
                    body=body,
                    status=0,
                )
                self.send_response(receiver._answer(received))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A sender that gave up waiting closes first: the late answer has nowhere to go.
        return
