"""Fixtures shared by every test package.

`sandbox` serves the built-in Maventa sandbox over real HTTP (pytest-django's live server)
and points the portal's client at it; it yields a control handle for faults and counters.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from maventa_portal import maventa
from tests.sandbox_control import SandboxControl


@pytest.fixture(autouse=True)
def _fresh_clients_and_cache():
    # Tokens and pooled connections must not leak from one test's sandbox state to the next.
    cache.clear()
    maventa.reset_clients()
    yield
    maventa.reset_clients()
    cache.clear()


@pytest.fixture
def sandbox(live_server, settings, transactional_db) -> SandboxControl:
    settings.MAVENTA_SANDBOX_URL = f"{live_server.url}/sandbox"
    control = SandboxControl(settings.MAVENTA_SANDBOX_URL)
    control.reset()
    yield control
    control.reset()


@pytest.fixture
def sandbox_company(sandbox) -> dict:
    """A verified company in the sandbox, with its credentials."""
    return sandbox.create_company(name="Sandbox Oy", bid="1234567-1", country="FI")


@pytest.fixture
def sync_tasks(monkeypatch):
    """Runs django-q2 tasks inline. Conf is read once at import, so the setting alone is late."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)
