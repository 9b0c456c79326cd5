"""Tokens against the sandbox over real HTTP: early revocation, scopes, refused keys, one flight.

The client's own token rules (one refresh on a 401, none on a 403, reuse until expiry, what a
second 401 is blamed on) are tested offline in test_http_tokens.
"""

from __future__ import annotations

import threading

import pytest

from maventa_portal.maventa_api import (
    CompanyCredentials,
    OperatorCredentials,
    Unauthorized,
)
from maventa_portal.maventa_api.ax import companies, profiles

pytestmark = pytest.mark.sandbox


def test_token_revoked_early_is_refreshed_once_and_call_succeeds(sandbox, api):
    companies.current(api)
    sandbox.expire_tokens()

    company = companies.current(api).company

    assert company.name == "Sandbox Oy"
    stats = sandbox.stats()
    assert stats["tokens_issued"] == 2
    assert stats["requests"]["GET /ax/oauth2/current"] == 3


def test_token_short_of_scope_is_refreshed_once_then_blames_the_scope(
    sandbox, maventa_client, sandbox_company
):
    # Maventa answers "no access" with 401, not 403 (FIELDS.md section 12, item 26): the client
    # refreshes once, then tells staff the scope is the cause, not the keys.
    narrow = maventa_client.company(
        CompanyCredentials(
            company_id=sandbox_company["company_id"],
            api_key=sandbox_company["api_key"],
            vendor_api_key=sandbox_company["vendor_api_key"],
            scope="lookup",
        )
    )

    with pytest.raises(Unauthorized) as caught:
        profiles.list_profiles(narrow)

    assert caught.value.code == "insufficient_scope"
    assert caught.value.staff_message.startswith(
        "The token's scope (lookup) does not cover network profiles."
    )
    assert "Check the API keys" not in caught.value.staff_message
    stats = sandbox.stats()
    assert stats["requests"]["GET /ax/v1/company/profiles"] == 2
    assert stats["tokens_issued"] == 2


def test_operator_token_on_a_company_endpoint_blames_its_scope(sandbox, maventa_client, settings):
    operator = maventa_client.operator(
        OperatorCredentials(
            operator_id=settings.MAVENTA_OPERATOR_ID,
            secret=settings.MAVENTA_OPERATOR_SECRET,
            scope="operator:companies",
        )
    )

    with pytest.raises(Unauthorized) as caught:
        companies.authorization_status(operator)

    assert caught.value.staff_message.startswith(
        "The token's scope (operator:companies) does not cover the company authorization."
    )


def test_wrong_api_key_is_unauthorized_without_retry(sandbox, maventa_client, sandbox_company):
    wrong = maventa_client.company(
        CompanyCredentials(company_id=sandbox_company["company_id"], api_key="not-the-key")
    )

    with pytest.raises(Unauthorized):
        companies.current(wrong)

    assert sandbox.stats()["token_requests"] == 1


def test_twenty_threads_starting_at_once_fetch_one_token(sandbox, maventa_client, credentials):
    # Slow token answers widen the window in which a stampede would show.
    sandbox.set_faults(latency_ms=200, paths=["/oauth2/token"])
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def call() -> None:
        start.wait()
        try:
            companies.current(maventa_client.company(credentials))
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
    assert stats["requests"]["GET /ax/oauth2/current"] == 20


def test_a_wrong_key_never_borrows_the_token_of_the_right_one(sandbox, maventa_client, credentials):
    companies.current(maventa_client.company(credentials))
    wrong = CompanyCredentials(
        company_id=credentials.company_id,
        api_key="mistyped-key",
        vendor_api_key=credentials.vendor_api_key,
    )

    with pytest.raises(Unauthorized):
        companies.current(maventa_client.company(wrong))
