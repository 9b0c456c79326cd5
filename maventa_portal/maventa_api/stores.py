"""Where tokens are kept between calls: the store protocol and its two stores.

`MemoryTokenStore` is this process's memory. `CacheTokenStore` is a cache shared by every
process (Redis, through Django's cache API), which others can read too: it keeps tokens
only encrypted, by a cipher the caller passes in, and falls back to this process's memory
while the cache fails, so that a cache outage costs extra token fetches, never a call.
Inside a call's deadline (see http) waits for a fetch lock are cut to the time left.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from .http import current_deadline

log = logging.getLogger("maventa_api.auth")


@dataclass(frozen=True)
class Token:
    access_token: str = field(repr=False)
    expires_at: float  # epoch seconds at which we stop using it (Maventa's expiry less the margin)
    scope: str = ""

    def usable(self, now: float) -> bool:
        return now < self.expires_at

    def as_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "expires_at": self.expires_at,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Token:
        return cls(data["access_token"], float(data["expires_at"]), data.get("scope", ""))


class TokenStore(Protocol):
    def get(self, key: str) -> Token | None: ...

    def set(self, key: str, token: Token, timeout: float) -> None: ...

    def delete(self, key: str, token: Token | None = None) -> None:
        """Deletes the token under key; when a token is given, only if it is still that one."""

    def lock(self, key: str) -> Any:
        """A context manager held while one caller fetches the token for key."""


class TokenCipher(Protocol):
    """Symmetric encryption of cached tokens; `cryptography.fernet.Fernet` is one.

    decrypt raises (any exception) for data it did not encrypt or cannot read.
    """

    def encrypt(self, data: bytes) -> bytes: ...

    def decrypt(self, data: bytes) -> bytes: ...


class _KeyedLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


def _time_left(default: float) -> float:
    window = current_deadline()
    return default if window is None else max(0.0, window.left())


@contextmanager
def _acquired(lock: threading.Lock) -> Iterator[None]:
    """Holds lock; inside a call's deadline, waits for it no longer than the time left."""
    window = current_deadline()
    if window is None:
        lock.acquire()
    elif not lock.acquire(timeout=max(0.0, window.left())):
        raise window.too_slow("POST", "", "waited for another token fetch")
    try:
        yield
    finally:
        lock.release()


class MemoryTokenStore:
    """For scripts and tests outside Django: this process only."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._tokens: dict[str, Token] = {}
        self._locks = _KeyedLocks()
        self._clock = clock

    def get(self, key: str) -> Token | None:
        return self._tokens.get(key)

    def set(self, key: str, token: Token, timeout: float) -> None:
        self._tokens[key] = token

    def delete(self, key: str, token: Token | None = None) -> None:
        if token is None or self._tokens.get(key) == token:
            self._tokens.pop(key, None)

    @contextmanager
    def lock(self, key: str) -> Iterator[None]:
        with _acquired(self._locks(key)):
            yield


class CacheTokenStore:
    """Keeps tokens in a cache with Django's cache API (get/set/add/delete), Redis included.

    Tokens are stored encrypted by `cipher`; a value that does not decrypt (another key, an
    older format, tampering) counts as a miss, so that the token is fetched again.

    The fetch lock is a thread lock for this process plus `cache.add` for other processes:
    add is atomic in every Django cache backend, and the lock expires by itself if its
    holder dies.

    A cache that raises (Redis down) is not an outage of Maventa calls: the store keeps tokens
    in this process's memory instead, logs that once, leaves the cache alone for
    `recheck_after` seconds (each attempt may cost a connect timeout), then tries it again.
    Each process then fetches its own tokens, which Maventa allows.
    """

    def __init__(
        self,
        cache: Any,
        *,
        cipher: TokenCipher,
        prefix: str = "maventa-token",
        lock_timeout: float = 30.0,
        poll: float = 0.05,
        recheck_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cache = cache
        self.cipher = cipher
        self.prefix = prefix
        self.lock_timeout = lock_timeout
        self.poll = poll
        self.recheck_after = recheck_after
        self.clock = clock
        self._locks = _KeyedLocks()
        self._memory = MemoryTokenStore()
        self._guard = threading.Lock()
        self._down_since: float | None = None
        self._recheck_at = 0.0

    @property
    def shared(self) -> bool:
        """False while tokens are kept in this process only."""
        return self._down_since is None

    def _key(self, key: str) -> str:
        # Cache keys must be short and plain for memcached; client ids are not guaranteed to be.
        return f"{self.prefix}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"

    def _cache(self, operation: str, *args: Any, **kwargs: Any) -> tuple[bool, Any]:
        """Runs a cache operation: (True, its result), or (False, None) while the cache fails."""
        if self._down_since is not None and self.clock() < self._recheck_at:
            return False, None
        try:
            result = getattr(self.cache, operation)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any failure of the cache means "not shared"
            self._went_down(exc)
            return False, None
        self._came_back()
        return True, result

    def _went_down(self, exc: Exception) -> None:
        with self._guard:
            self._recheck_at = self.clock() + self.recheck_after
            if self._down_since is not None:
                return
            self._down_since = self.clock()
        log.warning(
            "The shared cache does not answer (%s: %s); Maventa tokens are kept in this "
            "process's memory until it does.",
            type(exc).__name__,
            exc,
        )

    def _came_back(self) -> None:
        if self._down_since is None:
            return
        with self._guard:
            if self._down_since is None:
                return
            down_for, self._down_since = self.clock() - self._down_since, None
        log.warning(
            "The shared cache answers again after %.0f s; tokens are shared again.", down_for
        )

    def get(self, key: str) -> Token | None:
        shared, data = self._cache("get", self._key(key))
        if not shared:
            return self._memory.get(key)
        if not isinstance(data, bytes):
            return None
        try:
            return Token.from_dict(json.loads(self.cipher.decrypt(data)))
        except Exception:  # noqa: BLE001 - the cipher is the caller's; unreadable is a miss
            log.debug("Cached Maventa token unreadable; fetching a new one")
            return None

    def set(self, key: str, token: Token, timeout: float) -> None:
        # Kept here too, so that a cache going down later does not cost this process a fetch.
        self._memory.set(key, token, timeout)
        data = self.cipher.encrypt(json.dumps(token.as_dict()).encode())
        self._cache("set", self._key(key), data, timeout=max(1, int(timeout)))

    def delete(self, key: str, token: Token | None = None) -> None:
        self._memory.delete(key, token)
        if token is not None:
            current = self.get(key)
            if current is not None and current.access_token != token.access_token:
                return
        self._cache("delete", self._key(key))

    @contextmanager
    def lock(self, key: str) -> Iterator[None]:
        lock_key = f"{self._key(key)}:lock"
        with _acquired(self._locks(key)):
            waited_for = min(self.lock_timeout, _time_left(self.lock_timeout))
            ends = time.monotonic() + waited_for
            holding = False
            while True:
                shared, added = self._cache("add", lock_key, "1", timeout=int(self.lock_timeout))
                holding = shared and added
                # Without the cache the thread lock is all there is; a stuck holder elsewhere
                # (or the call's deadline) must not stop us for good.
                if holding or not shared or time.monotonic() > ends:
                    break
                time.sleep(self.poll)
            try:
                yield
            finally:
                if holding:
                    self._cache("delete", lock_key)


__all__ = ["CacheTokenStore", "MemoryTokenStore", "Token", "TokenCipher", "TokenStore"]
