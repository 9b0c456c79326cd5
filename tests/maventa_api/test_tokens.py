"""Tokens against the sandbox over real HTTP: early revocation, scopes, refused keys, one flight.

The client's own token rules (one refresh on a 401, none on a 403, reuse until expiry) are
tested offline in test_http_tokens.
"""

from __future__ import annotations

import threading

import pytest

from maventa_portal.maventa_api import (
    CompanyCredentials,
    Forbidden,
    Unauthorized,
)
from maventa_portal.maventa_api.ax import companies

pytestmark = pytest.mark.sandbox


def test_token_revoked_early_is_refreshed_once_and_call_succeeds(sandbox, api):
    companies.get_company(api)
    sandbox.expire_tokens()

    company = companies.get_company(api)

    assert company.name == "Sandbox Oy"
    stats = sandbox.stats()
    assert stats["tokens_issued"] == 2
    assert stats["requests"]["GET /ax/v1/company"] == 3


def test_403_is_not_retried_and_names_the_resource(sandbox, maventa_client, sandbox_company):
    narrow = maventa_client.company(
        CompanyCredentials(
            company_id=sandbox_company["company_id"],
            api_key=sandbox_company["api_key"],
            vendor_api_key=sandbox_company["vendor_api_key"],
            scope="lookup",
        )
    )

    with pytest.raises(Forbidden) as caught:
        companies.get_company(narrow)

    assert caught.value.staff_message == "No access to the company."
    stats = sandbox.stats()
    assert stats["requests"]["GET /ax/v1/company"] == 1
    assert stats["tokens_issued"] == 1


def test_wrong_api_key_is_unauthorized_without_retry(sandbox, maventa_client, sandbox_company):
    wrong = maventa_client.company(
        CompanyCredentials(company_id=sandbox_company["company_id"], api_key="not-the-key")
    )

    with pytest.raises(Unauthorized):
        companies.get_company(wrong)

    assert sandbox.stats()["token_requests"] == 1


def test_twenty_threads_starting_at_once_fetch_one_token(sandbox, maventa_client, credentials):
    # Slow token answers widen the window in which a stampede would show.
    sandbox.set_faults(latency_ms=200, paths=["/oauth2/token"])
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def call() -> None:
        start.wait()
        try:
            companies.get_company(maventa_client.company(credentials))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    stats = sandbox.stats()
    assert stats["token_requests"] == 1
    assert stats["requests"]["GET /ax/v1/company"] == 20


def test_a_wrong_key_never_borrows_the_token_of_the_right_one(sandbox, maventa_client, credentials):
    companies.get_company(maventa_client.company(credentials))
    wrong = CompanyCredentials(
        company_id=credentials.company_id,
        api_key="mistyped-key",
        vendor_api_key=credentials.vendor_api_key,
    )

    with pytest.raises(Unauthorized):
        companies.get_company(maventa_client.company(wrong))
