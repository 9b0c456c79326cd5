"""Every resource function of the AX client, called once against the sandbox with valid
arguments, so that each request the client can send is checked against the schema in every run
(the observer fails the test on a breach), whatever the portal's flows happen to reach.

Functions are found, not listed (``resources.py``); a new one needing a value not in
``values()`` fails with the parameter's name.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from maventa_portal import maventa
from maventa_portal.maventa_api import (
    CompanyCredentials,
    Maventa,
    MemoryTokenStore,
    OperatorCredentials,
)
from tests.contract.conftest import OPERATOR_ID, OPERATOR_SECRET
from tests.contract.resources import OPERATOR, PUBLIC, call, credentials_of, resource_functions
from tests.sandbox.factories import finnish_bid

FUNCTIONS = resource_functions()


def values(keys) -> dict:
    """Valid values by parameter name; the company and its registration come from the sandbox."""
    return {
        "company_id": keys.company_id,
        "company_ids": [keys.company_id],
        "profile_id": keys.profile_id,
        "bid": "2660421-6",
        "country": "FI",
        "network": "PEPPOL",
        "profiles": ["INVOICE_AND_CREDIT_NOTE"],
        "status": ["active"],
        "profile_name": "INVOICE_AND_CREDIT_NOTE",
        "extensions": [],
        "auth_email": "kyc@example.com",
        "locale": "FI",
        "vendor_api_key": settings.MAVENTA_VENDOR_API_KEY,
        "user_api_key": keys.company["api_key"],
        "email": "contract@example.com",
        "name": "Contract Two Oy",
        "no_vat": True,
        "address1": "Katu 1",
        "post_code": "00100",
        "post_office": "Helsinki",
        "city": "Helsinki",
    }


def test_resource_functions_are_found():
    names = {f.__name__ for f in FUNCTIONS}

    assert {"current", "create_profile", "list_profiles", "create_company"} <= names


@pytest.fixture
def client(sandbox, sleeps):
    client = Maventa(maventa.client_config(), token_store=MemoryTokenStore(), sleep=sleeps.append)
    yield client
    client.close()


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_each_client_request_keeps_the_contract(function, sandbox, client, contract_keys):
    sandbox.set_profile(contract_keys.profile_id, status="active")  # PEPPOL needs VISMA live
    given = values(contract_keys)
    company = contract_keys.company
    kind = credentials_of(function)
    if kind == PUBLIC:
        api = client.public()
        given["bid"] = finnish_bid(4242)  # a company of its own
    elif kind == OPERATOR:
        api = client.operator(OperatorCredentials(OPERATOR_ID, OPERATOR_SECRET))
    else:
        credentials = (company["company_id"], company["api_key"], company["vendor_api_key"])
        api = client.company(CompanyCredentials(*credentials))

    call(function, api, given)  # a refusal raises; a breach of the schema fails at teardown
