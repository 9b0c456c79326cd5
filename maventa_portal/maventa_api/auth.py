"""OAuth2 tokens: credentials, and fetching with one flight per key (stores: where they are kept).

Tokens are kept (in the store, and in this process's memory in front of it) until a margin
before Maventa's `expires_in`, so that a 401 is rare. Only one fetch runs at a time per
(environment, client_id, scope): the others wait for it and take its token. Secrets appear
in no repr, log line or error text.

A shared cache (Redis) is readable by more than the portal, so what lands there gives nothing
away: store keys carry an HMAC of the client secret under a key the caller holds (a guessed
API key cannot be checked against a key name offline), and `CacheTokenStore` keeps tokens
only encrypted, by a cipher the caller passes in. This package holds neither key. When that
cache fails, `CacheTokenStore` falls back to this process's memory rather than fail the call.
The store classes live in `stores` and are named here too, where callers have found them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import ClientConfig
from .errors import MaventaError, Unavailable, error_from_response, token_refused
from .http import Transport
from .stores import CacheTokenStore, MemoryTokenStore, Token, TokenCipher, TokenStore

log = logging.getLogger("maventa_api.auth")


def _token_form(client_id: str, secret: str, vendor_api_key: str, scope: str) -> dict[str, str]:
    """`POST /oauth2/token` form (FIELDS.md section 1); optional fields only when given."""
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if vendor_api_key:
        form["vendor_api_key"] = vendor_api_key
    if scope:
        form["scope"] = scope
    return form


@dataclass(frozen=True)
class CompanyCredentials:
    """client_id = the company UUID, client_secret = the company's user API key."""

    company_id: str
    api_key: str = field(repr=False)
    vendor_api_key: str = field(default="", repr=False)
    scope: str = ""

    @property
    def client_id(self) -> str:
        return self.company_id

    def token_form(self) -> dict[str, str]:
        return _token_form(self.company_id, self.api_key, self.vendor_api_key, self.scope)


@dataclass(frozen=True)
class OperatorCredentials:
    operator_id: str
    secret: str = field(repr=False)
    vendor_api_key: str = field(default="", repr=False)
    scope: str = ""

    @property
    def client_id(self) -> str:
        return self.operator_id

    def token_form(self) -> dict[str, str]:
        return _token_form(self.operator_id, self.secret, self.vendor_api_key, self.scope)


Credentials = CompanyCredentials | OperatorCredentials


class TokenManager:
    """Tokens per credentials, through the store.

    `fingerprint_key` keys the HMAC that tells client secrets apart in store keys. Processes
    sharing a store must pass the same one; without it each manager draws its own, and its
    tokens are found by no other manager.
    """

    def __init__(
        self,
        config: ClientConfig,
        transport: Transport,
        store: TokenStore,
        *,
        clock: Callable[[], float] = time.time,
        fingerprint_key: bytes | None = None,
    ) -> None:
        self.config = config
        self.transport = transport
        self.store = store
        self.clock = clock
        self._fingerprint_key = fingerprint_key or secrets.token_bytes(32)
        # Saves a cache round trip per call; the store stays the truth shared across processes.
        self._memo: dict[str, Token] = {}

    def key(self, credentials: Credentials) -> str:
        # Keyed by environment, client_id and scope, plus a fingerprint of the secret: a token
        # fetched with one key must never answer for another (a mistyped or replaced key).
        secret = credentials.token_form()["client_secret"]
        fingerprint = hmac.new(self._fingerprint_key, secret.encode(), hashlib.sha256)
        return (
            f"{self.config.environment}:{credentials.client_id}:"
            f"{credentials.scope or '-'}:{fingerprint.hexdigest()[:32]}"
        )

    def token(self, credentials: Credentials) -> Token:
        key = self.key(credentials)
        now = self.clock()
        memo = self._memo.get(key)
        if memo is not None and memo.usable(now):
            return memo
        token = self.store.get(key)
        if token is None or not token.usable(now):
            with self.store.lock(key):
                # Another thread or process may have fetched it while we waited.
                token = self.store.get(key)
                if token is None or not token.usable(self.clock()):
                    token = self._fetch(credentials)
                    self.store.set(key, token, timeout=token.expires_at - self.clock())
        self._memo[key] = token
        return token

    def invalidate(self, credentials: Credentials, token: Token) -> None:
        key = self.key(credentials)
        if self._memo.get(key) == token:
            self._memo.pop(key, None)
        self.store.delete(key, token)

    def _fetch(self, credentials: Credentials) -> Token:
        url = self.config.token_url
        # Asking for a token changes nothing at Maventa, so it may be retried like a GET.
        response = self.transport.send("POST", url, data=credentials.token_form(), idempotent=True)
        if response.status in (400, 401):
            raise token_refused(
                client_id=credentials.client_id,
                scope=credentials.scope,
                url=url,
                status=response.status,
                body=response.body(),
            )
        if not response.ok:
            raise error_from_response(
                method="POST",
                url=url,
                status=response.status,
                body=response.body(),
                headers=dict(response.headers),
                resource="tokens",
            )
        body = response.body()
        try:
            access_token = body["access_token"]
            expires_in = float(body["expires_in"])
        except (TypeError, KeyError, ValueError) as exc:
            raise Unavailable(
                "token response without access_token/expires_in", method="POST", url=url
            ) from exc
        margin = min(self.config.token_margin, expires_in * 0.1)
        log.debug("New Maventa token for client %s (%.0f s)", credentials.client_id, expires_in)
        return Token(access_token, self.clock() + expires_in - margin, body.get("scope", ""))


__all__ = [
    "CacheTokenStore",
    "CompanyCredentials",
    "Credentials",
    "MaventaError",
    "MemoryTokenStore",
    "OperatorCredentials",
    "Token",
    "TokenCipher",
    "TokenManager",
    "TokenStore",
]
