"""No maventa_client secret, API key, vendor key or token in logs, exception text or reprs."""

from __future__ import annotations

import logging
import traceback

import pytest

from maventa_portal.maventa_api import CompanyCredentials, MaventaError, Unauthorized
from maventa_portal.maventa_api.ax import companies

pytestmark = pytest.mark.sandbox


def _secrets_of(credentials: CompanyCredentials, maventa_client) -> list[str]:
    token = maventa_client.tokens.store.get(maventa_client.tokens.key(credentials))
    found = [credentials.api_key, credentials.vendor_api_key]
    return found + ([token.access_token] if token else [])


def test_no_secret_in_debug_logs_of_a_normal_call(sandbox, maventa_client, credentials, caplog):
    caplog.set_level(logging.DEBUG)
    api = maventa_client.company(credentials)

    companies.current(api)
    sandbox.expire_tokens()
    companies.current(api)  # the 401-and-refresh path logs too

    secrets = _secrets_of(credentials, maventa_client)
    assert len(secrets) == 3
    for secret in secrets:
        assert secret not in caplog.text
    reprs = " ".join(
        repr(x)
        for x in (
            maventa_client,
            api,
            credentials,
            maventa_client.tokens.store.get(maventa_client.tokens.key(credentials)),
        )
    )
    for secret in secrets:
        assert secret not in reprs


def _all_text_of(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


def test_refused_credentials_leave_no_secret_in_error_or_log(
    sandbox, maventa_client, sandbox_company, caplog
):
    caplog.set_level(logging.DEBUG)
    credentials = CompanyCredentials(
        company_id=sandbox_company["company_id"],
        api_key="wrong-key-that-must-not-leak",
        vendor_api_key=sandbox_company["vendor_api_key"],
    )

    with pytest.raises(Unauthorized) as caught:
        companies.current(maventa_client.company(credentials))

    text = _all_text_of(caught.value) + caplog.text + caught.value.staff_message
    assert "wrong-key-that-must-not-leak" not in text
    assert sandbox_company["vendor_api_key"] not in text


def test_errors_after_retries_leave_no_secret(sandbox, maventa_client, credentials, caplog):
    caplog.set_level(logging.DEBUG)
    companies.current(maventa_client.company(credentials))
    sandbox.script({"method": "GET", "path": "/oauth2/current", "status": 503, "times": 10})

    with pytest.raises(MaventaError) as caught:
        companies.current(maventa_client.company(credentials))

    text = _all_text_of(caught.value) + caplog.text
    for secret in _secrets_of(credentials, maventa_client):
        assert secret not in text
