"""What a reader of the shared cache (Redis) learns from the tokens kept there: nothing useful.

Key names carry no fingerprint of an API key that can be computed without SECRET_KEY, values
hold no access token in clear, and a value that does not decrypt is fetched again.
"""

from __future__ import annotations

import hashlib
import pickle

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache

from maventa_portal import maventa
from maventa_portal.maventa_api import CompanyCredentials
from maventa_portal.maventa_api.ax import companies


class RecordingCache:
    """Django's cache, remembering what the token store writes to it."""

    def __init__(self) -> None:
        self.written: dict[str, object] = {}

    def get(self, key, default=None):
        return cache.get(key, default)

    def set(self, key, value, timeout=None):
        self.written[key] = value
        cache.set(key, value, timeout)

    def add(self, key, value, timeout=None):
        return cache.add(key, value, timeout)

    def delete(self, key):
        cache.delete(key)


@pytest.fixture
def recording(monkeypatch) -> RecordingCache:
    recording = RecordingCache()
    monkeypatch.setattr(maventa, "cache", recording)
    return recording


@pytest.fixture
def credentials(sandbox_company) -> CompanyCredentials:
    return maventa.company_credentials(
        company_id=sandbox_company["company_id"],
        api_key=sandbox_company["api_key"],
        vendor_api_key=sandbox_company["vendor_api_key"],
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_cache_key_holds_no_fingerprint_computable_without_secret_key(
    recording, credentials, sandbox
):
    companies.current(maventa.get_client().company(credentials))

    [written_key] = recording.written
    store_key = maventa.get_client().tokens.key(credentials)
    # What the key names were before: computable by anyone who guesses the API key.
    plain_fingerprint = _sha256(credentials.api_key)[:16]
    plain_store_key = f"sandbox:{credentials.company_id}:-:{plain_fingerprint}"
    for name in (written_key, store_key):
        assert _sha256(credentials.api_key)[:16] not in name
        assert _sha256(plain_store_key)[:40] not in name
        assert credentials.api_key not in name


def test_token_keys_depend_on_secret_key_and_are_shared_by_clients(settings):
    # Key names are computed without asking Maventa anything: no sandbox needed.
    credentials = maventa.company_credentials(company_id="c-1", api_key="k-1")
    first = maventa.get_client().tokens.key(credentials)
    maventa.reset_clients()
    assert maventa.get_client().tokens.key(credentials) == first  # another process's view

    settings.SECRET_KEY = "another-secret-key-for-this-test-only"  # noqa: S105 - a test value

    assert maventa.get_client().tokens.key(credentials) != first


def test_cached_value_holds_no_access_token_in_clear(recording, credentials, sandbox):
    client = maventa.get_client()
    companies.current(client.company(credentials))

    [value] = recording.written.values()
    token = client.tokens.store.get(client.tokens.key(credentials))
    assert token is not None
    assert token.access_token.encode() not in pickle.dumps(value)


@pytest.mark.parametrize(
    "unreadable",
    [
        pytest.param(b"not-a-fernet-token", id="garbage"),
        pytest.param(
            Fernet(Fernet.generate_key()).encrypt(b'{"access_token": "x", "expires_at": 9e9}'),
            id="another-key",
        ),
        pytest.param({"access_token": "x", "expires_at": 9e9, "scope": ""}, id="clear-text"),
    ],
)
def test_undecryptable_cached_value_is_fetched_again(recording, credentials, sandbox, unreadable):
    companies.current(maventa.get_client().company(credentials))
    [written_key] = recording.written
    cache.set(written_key, unreadable)
    maventa.reset_clients()  # a process whose memory holds no token yet

    company = companies.current(maventa.get_client().company(credentials)).company

    assert company.name == "Sandbox Oy"
    assert sandbox.stats()["tokens_issued"] == 2


def test_no_key_material_in_reprs(settings):
    client = maventa.get_client()
    text = " ".join(repr(x) for x in (client, client.tokens, client.tokens.store))

    for material in (maventa.token_fingerprint_key().hex(), settings.SECRET_KEY):
        assert material not in text
