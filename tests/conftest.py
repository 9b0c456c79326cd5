"""Fixtures shared by every test package.

`sandbox` serves the built-in Maventa sandbox over real HTTP (pytest-django's live server)
and points the portal's client at it; it yields a control handle for faults and counters.
The portal's client then records its backoff waits in `sleeps` instead of sleeping them.
Every sandbox answer and every request of the portal's client is checked against Maventa's AX
schema meanwhile (tests/contract); a breach fails the test as its `sandbox` fixture tears down.
"""

from __future__ import annotations

import functools
import itertools
import socket

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from maventa_portal import maventa
from maventa_portal.core.roles import OPERATORS, VIEWERS
from maventa_portal.maventa_api import Maventa
from maventa_portal.sandbox.control_client import SandboxControl
from tests.contract.observer import fail_on_violations
from tests.factories import CompanyCredentialFactory, CompanyFactory, UserFactory, valid_bid

pytest_plugins = ["tests.contract.plugin"]


class NoDelayWSGIServer(ThreadedWSGIServer):
    """The live server's WSGI server, answering without Nagle's algorithm.

    It writes a response's headers and body in two sends; on a kept-alive connection Nagle
    holds the body until the client acknowledges the headers, which Linux delays by 40 ms.
    Every sandbox call of a pooled client (the portal's, the control handle's, chromium's)
    paid that; without it a call takes about a millisecond.
    """

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2 at its production cost takes a tenth of a second per user made or login tried;
    # what the tests check of passwords does not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    LiveServerThread.server_class = NoDelayWSGIServer


# `sandbox` and `browser` follow from the fixtures a test uses, so they are given here and
# cannot be forgotten; an explicit one on a test that uses none of them would make
# `-m "not sandbox"` skip a test that needs nothing, so it is refused.
MARKED_BY_FIXTURES = {"sandbox": {"sandbox"}, "browser": {"browser", "page"}}


def pytest_collection_modifyitems(config, items):
    wrong = []
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            used -= set(callspec.params)  # a parametrized argument, not the fixture of that name
        for marker, fixtures in MARKED_BY_FIXTURES.items():
            if used & fixtures:
                item.add_marker(marker)
            elif item.get_closest_marker(marker) is not None:
                wrong.append(f"{item.nodeid}: marked {marker}, uses none of {sorted(fixtures)}")
    if wrong:
        raise pytest.UsageError("Markers that fixtures contradict:\n" + "\n".join(wrong))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No connection outlives its request or test: a live-server thread that kept one would
    stop the test database from being dropped at the end."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _media_of_its_own(settings, tmp_path_factory):
    # Stored invoice files and print packages go to a folder of the test's own, never into the
    # checkout's media/ (print packages hold personal data, and leftovers would leak between
    # tests).
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _fresh_clients_and_cache():
    # Tokens and pooled connections must not leak from one test's sandbox state to the next.
    cache.clear()
    maventa.reset_clients()
    yield
    maventa.reset_clients()
    cache.clear()


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff waits of the clients under test, in order, recorded instead of slept."""
    return []


@pytest.fixture
def sandbox(live_server, settings, transactional_db, monkeypatch, sleeps) -> SandboxControl:
    settings.MAVENTA_SANDBOX_URL = f"{live_server.url}/sandbox"
    # The portal's clients would sleep through real backoff, seconds per faulted call; they
    # still decide on the same delays (deadlines included), only the waiting is skipped.
    monkeypatch.setattr(maventa, "Maventa", functools.partial(Maventa, sleep=sleeps.append))
    control = SandboxControl(settings.MAVENTA_SANDBOX_URL)
    control.reset()
    yield control
    control.reset()
    fail_on_violations()


@pytest.fixture
def sandbox_company(sandbox) -> dict:
    """A verified company in the sandbox, with its credentials."""
    return sandbox.create_company(name="Sandbox Oy", bid="1234567-1", country="FI")


@pytest.fixture
def sync_tasks(monkeypatch):
    """Runs django-q2 tasks inline. Conf is read once at import, so the setting alone is late."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


_numbers = itertools.count(1)


@pytest.fixture
def make_company(sandbox):
    """A company on both sides: registered in the sandbox, mirrored in the portal with its key."""

    def make(*, country: str = "FI", company_state: str = "VERIFIED", name: str = ""):
        n = next(_numbers)
        bid = valid_bid(country, n * 13)
        name = name or f"{country} Company {n}"
        account = sandbox.create_company(
            name=name, bid=bid, country=country, company_state=company_state
        )
        company = CompanyFactory(
            name=name,
            bid=bid,
            country=country,
            maventa_id=account["company_id"],
            company_state=company_state,
        )
        CompanyCredentialFactory(company=company, api_key=account["api_key"])
        company.refresh_from_db()
        return company

    return make


@pytest.fixture
def operator(db):
    return UserFactory(staff=True, role=OPERATORS, username="olga-operator")


@pytest.fixture
def viewer(db):
    return UserFactory(staff=True, role=VIEWERS, username="vera-viewer")


@pytest.fixture
def operator_client(operator):
    from django.test import Client

    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def viewer_client(viewer):
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    return client
