from __future__ import annotations

import pytest

from maventa_portal import maventa
from maventa_portal.maventa_api import CompanyCredentials, Maventa


@pytest.fixture
def sleeps() -> list[float]:
    return []


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
