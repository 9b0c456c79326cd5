"""Builds the Maventa client from settings: the one place the Django side meets maventa_api.

One `Maventa` per process and per configuration, so that its connection pool and token memo
are shared by every request and task; tokens live in Django's default cache, shared by every
process of the portal. Whoever reads that cache (Redis) without SECRET_KEY finds the tokens
encrypted and their key names unrelated to any API key: both keys are derived from
SECRET_KEY here, one per purpose, and handed to the client, which imports nothing of Django.

Calls made while answering a web request are interactive: `InteractiveCallsMiddleware` gives
each at most ``MAVENTA_INTERACTIVE_DEADLINE`` seconds (retries, backoff and token fetch
included), so a slow Maventa costs a staff page that long and no more. Tasks and commands run
outside any request and keep the full timeouts and retries of ``client_config()``.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from maventa_portal.maventa_api import (
    CacheTokenStore,
    ClientConfig,
    CompanyCredentials,
    Maventa,
    OperatorCredentials,
    RetryPolicy,
    deadline,
)
from maventa_portal.maventa_api.ax import companies as ax_companies

_lock = threading.Lock()
_clients: dict[tuple[ClientConfig, bytes], Maventa] = {}


def client_config() -> ClientConfig:
    return ClientConfig.for_environment(
        settings.MAVENTA_ENV,
        sandbox_url=settings.MAVENTA_SANDBOX_URL,
        vendor_api_key=settings.MAVENTA_VENDOR_API_KEY,
        connect_timeout=settings.MAVENTA_CONNECT_TIMEOUT,
        read_timeout=settings.MAVENTA_READ_TIMEOUT,
        retry=RetryPolicy(max_retries=settings.MAVENTA_MAX_RETRIES),
        user_agent=f"MaventaPortal/{settings.PORTAL_VERSION}",
    )


def _derived_key(purpose: str) -> bytes:
    return salted_hmac(f"maventa_portal.maventa.{purpose}", "", algorithm="sha256").digest()


# The fetch lock only spares Maventa a crowd of token requests; a second token is harmless.
# A holder that died (a killed worker) must not stall the others for long.
TOKEN_LOCK_SECONDS = 8.0


def token_store() -> CacheTokenStore:
    cipher = Fernet(base64.urlsafe_b64encode(_derived_key("token-cipher")))
    return CacheTokenStore(cache, cipher=cipher, lock_timeout=TOKEN_LOCK_SECONDS)


def token_fingerprint_key() -> bytes:
    return _derived_key("token-fingerprint")


def get_client() -> Maventa:
    config = client_config()
    # Keyed by the derived key too: a changed SECRET_KEY (tests override it) gets a new client.
    fingerprint_key = token_fingerprint_key()
    with _lock:
        client = _clients.get((config, fingerprint_key))
        if client is None:
            client = _clients[config, fingerprint_key] = Maventa(
                config, token_store=token_store(), token_fingerprint_key=fingerprint_key
            )
        return client


def company_credentials(
    *, company_id: str, api_key: str, scope: str = "", vendor_api_key: str = ""
) -> CompanyCredentials:
    return CompanyCredentials(
        company_id=company_id,
        api_key=api_key,
        vendor_api_key=vendor_api_key or settings.MAVENTA_VENDOR_API_KEY,
        scope=scope,
    )


def operator_credentials(scope: str = "") -> OperatorCredentials:
    return OperatorCredentials(
        operator_id=settings.MAVENTA_OPERATOR_ID,
        secret=settings.MAVENTA_OPERATOR_SECRET,
        vendor_api_key=settings.MAVENTA_VENDOR_API_KEY,
        scope=scope,
    )


@dataclass(frozen=True)
class ConnectionStatus:
    ok: bool
    environment: str
    client_id: str
    expires_at: str


def check_connection() -> ConnectionStatus:
    """Fetches an operator token and asks Maventa whether it works. Raises MaventaError."""
    client = get_client()
    status = ax_companies.authenticated_status(client.operator(operator_credentials()))
    return ConnectionStatus(
        ok=True,
        environment=client.config.environment,
        client_id=status.client_id,
        expires_at=status.expires_at,
    )


class InteractiveCallsMiddleware:
    """Every Maventa call made while answering a request waits at most the interactive
    deadline; a call it cuts raises Unavailable saying Maventa is slow (AmbiguousOutcome for
    a POST already sent), which the error middleware or the view shows to staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with deadline(settings.MAVENTA_INTERACTIVE_DEADLINE):
            return self.get_response(request)


def reset_clients() -> None:
    """Forgets the per-process clients (their pools and token memos); for tests."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
