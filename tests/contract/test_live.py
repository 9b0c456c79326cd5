"""The read-only contract tests against Maventa's stage (marker ``live``): every GET the client
makes, with the company's and the operator's credentials, each request and answer checked
against the schema. Skipped, saying what is missing, unless MAVENTA_ENV=stage and the
credentials are set (README, 'Contract'); nothing is sent but GETs and the token POST."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from maventa_portal import maventa
from maventa_portal.maventa_api import Maventa, MemoryTokenStore
from maventa_portal.maventa_api.ax import companies, profiles
from tests.contract.live import ReadOnlySession, why_not_live
from tests.contract.resources import (
    OPERATOR,
    PUBLIC,
    call,
    credentials_of,
    method_of,
    resource_functions,
)
from tests.contract.violations import report

READS = [f for f in resource_functions() if method_of(f) == "GET"]


@pytest.fixture(scope="module")
def stage():
    reason = why_not_live(settings)
    if reason:
        pytest.skip(reason)
    config = maventa.client_config()
    session = ReadOnlySession(config.hosts.ax, config.user_agent)
    client = Maventa(config, token_store=MemoryTokenStore(), session=session)
    yield client, session
    client.close()


@pytest.fixture(scope="module")
def company_api(stage):
    client, _ = stage
    return client.company(
        maventa.company_credentials(
            company_id=os.environ["MAVENTA_STAGE_COMPANY_ID"],
            api_key=os.environ["MAVENTA_STAGE_COMPANY_API_KEY"],
        )
    )


@pytest.fixture(scope="module")
def values(company_api) -> dict:
    """Read from the stage company itself: its id, business id, country and a registration."""
    party = companies.current(company_api).company
    found = profiles.list_profiles(company_api)
    return {
        "company_id": os.environ["MAVENTA_STAGE_COMPANY_ID"],
        "bid": party.bid if party else "",
        "country": party.country if party else "FI",
        "profile_id": found[0].id if found else "",
        "network": "PEPPOL",
        "status": ["active"],
    }


def test_some_reads_are_found():
    assert {"current", "list_profiles", "operator_companies"} <= {f.__name__ for f in READS}


@pytest.mark.live
@pytest.mark.parametrize("function", READS, ids=lambda f: f.__name__)
def test_stage_read_keeps_the_contract(function, stage, company_api, values):
    client, session = stage
    if "profile_id" in values and not values["profile_id"] and function is profiles.get_profile:
        pytest.skip("the stage company has no network registration to read")
    kind = credentials_of(function)
    if kind == OPERATOR:
        api = client.operator(maventa.operator_credentials())  # as the portal makes them
    else:
        api = client.public() if kind == PUBLIC else company_api
    session.violations.clear()

    call(function, api, values)

    assert not session.violations, report(session.violations)


def test_the_read_only_session_checks_reads_and_refuses_writes(sandbox, sandbox_company):
    """The live machinery itself, against the sandbox: reads are checked, writes never leave."""
    config = maventa.client_config()
    session = ReadOnlySession(config.hosts.ax, config.user_agent)
    client = Maventa(config, token_store=MemoryTokenStore(), session=session)
    api = client.company(
        maventa.company_credentials(
            company_id=sandbox_company["company_id"], api_key=sandbox_company["api_key"]
        )
    )

    companies.current(api)
    profiles.list_profiles(api, network=["VISMA"])
    with pytest.raises(AssertionError, match="only read: refused POST"):
        profiles.create_profile(api, network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"])

    assert session.violations == []
    assert sandbox.requests_to("POST /ax/v1/company/profiles") == 0
    assert sandbox.requests_to("GET /ax/v1/company/profiles") == 1
