"""Two ways to meet the client: against the live sandbox over real HTTP (`maventa_client`, `api`),
or offline against answers scripted with `responses` (`http_mock`, `offline_client`,
`offline_api`), where no server is needed and nothing waits."""

from __future__ import annotations

import pytest
import responses

from maventa_portal import maventa
from maventa_portal.maventa_api import ClientConfig, CompanyCredentials, Maventa, MemoryTokenStore
from maventa_portal.maventa_api import http as maventa_http
from tests.maventa_api.offline import OFFLINE_BASE


@pytest.fixture
def maventa_client(sandbox, sleeps) -> Maventa:
    """The portal's client against the live sandbox; waits are recorded instead of slept."""
    client = Maventa(
        maventa.client_config(),
        token_store=maventa.token_store(),
        token_fingerprint_key=maventa.token_fingerprint_key(),
        sleep=sleeps.append,
    )
    yield client
    client.close()


@pytest.fixture
def credentials(sandbox_company) -> CompanyCredentials:
    return CompanyCredentials(
        company_id=sandbox_company["company_id"],
        api_key=sandbox_company["api_key"],
        vendor_api_key=sandbox_company["vendor_api_key"],
    )


@pytest.fixture
def api(maventa_client, credentials):
    return maventa_client.company(credentials)


@pytest.fixture
def http_mock(monkeypatch):
    """Scripted answers; every one scripted must be asked for. Backoff without its random half,
    so that waits can be compared exactly."""
    monkeypatch.setattr(maventa_http, "jitter", lambda: 0.0)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def offline_client(http_mock, sleeps) -> Maventa:
    client = Maventa(
        ClientConfig.for_environment("sandbox", sandbox_url=OFFLINE_BASE),
        token_store=MemoryTokenStore(),
        sleep=sleeps.append,
    )
    yield client
    client.close()


@pytest.fixture
def offline_credentials() -> CompanyCredentials:
    return CompanyCredentials(
        company_id="0b6f1a3c-0000-4000-8000-000000000001",
        api_key="offline-api-key",
        vendor_api_key="offline-vendor-key",
    )


@pytest.fixture
def offline_api(offline_client, offline_credentials):
    return offline_client.company(offline_credentials)
