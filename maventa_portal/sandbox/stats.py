"""Request and token counters of the serving process, read by tests and benchmarks.

A request is counted when it reaches an API root, before any fault is applied, under the key
``"<METHOD> /<api><path>"`` (``"GET /ax/oauth2/current"``).
"""

import threading
from collections import Counter
from typing import Any

TOKEN_PATH = ("ax", "/oauth2/token")


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._token_requests = 0
        self._tokens_issued = 0

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._token_requests = 0
            self._tokens_issued = 0

    def record_request(self, api: str, method: str, path: str) -> None:
        with self._lock:
            self._requests[f"{method} /{api}{path}"] += 1
            if (api, path) == TOKEN_PATH and method == "POST":
                self._token_requests += 1

    def record_token_issued(self) -> None:
        with self._lock:
            self._tokens_issued += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "tokens_issued": self._tokens_issued,
                "token_requests": self._token_requests,
                "requests": dict(self._requests),
            }


stats = Stats()
