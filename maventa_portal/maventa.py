"""Builds the Maventa client from settings: the one place the Django side meets maventa_api.

One `Maventa` per process and per configuration, so that its connection pool and token memo
are shared by every request and task; tokens live in Django's default cache, shared by every
process of the portal.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from maventa_portal.maventa_api import (
    CacheTokenStore,
    ClientConfig,
    CompanyCredentials,
    Maventa,
    OperatorCredentials,
    RetryPolicy,
)
from maventa_portal.maventa_api.ax import companies as ax_companies

_lock = threading.Lock()
_clients: dict[ClientConfig, Maventa] = {}


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


def get_client() -> Maventa:
    config = client_config()
    with _lock:
        client = _clients.get(config)
        if client is None:
            client = _clients[config] = Maventa(config, token_store=CacheTokenStore(cache))
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


def reset_clients() -> None:
    """Forgets the per-process clients (their pools and token memos); for tests."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
