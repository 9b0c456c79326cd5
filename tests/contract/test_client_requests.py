"""Every resource function of the AX client, called once against the sandbox with valid
arguments, so that each request the client can send is checked against the schema in every run
(the observer fails the test on a breach), whatever the portal's flows happen to reach.

Functions are found, not listed (``resources.py``); a new one needing a value not in
``values()`` fails with the parameter's name. Each gets a token of its module's ``SCOPE``.
Invoices, documents and reports are made in the sandbox when a call first needs one
(``objects.py``). An operation the sandbox does not serve yet answers 404 and the call's
refusal is accepted, the request having been checked all the same; ``make contract`` counts
those operations ("called operations the sandbox does not serve") until they are served.
"""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from maventa_portal import maventa
from maventa_portal.maventa_api import (
    CompanyCredentials,
    Maventa,
    MemoryTokenStore,
    OperatorCredentials,
)
from maventa_portal.maventa_api.ax import invoices
from tests.contract.conftest import OPERATOR_ID, OPERATOR_SECRET
from tests.contract.objects import (
    FINVOICE,
    ORDER,
    ORDER_RECIPIENT_EIA,
    WEBHOOK_DESTINATION,
    SandboxObjects,
    unless_unserved,
)
from tests.contract.resources import (
    OPERATOR,
    PUBLIC,
    Values,
    call,
    credentials_of,
    method_of,
    path_of,
    resource_functions,
    scope_of,
)
from tests.sandbox.factories import finnish_bid

FUNCTIONS = resource_functions()


def _takes_keywords(function) -> bool:
    return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())


# Taking fields as keywords, each of its routes its own operation: called per route below.
BY_ROUTE = [f for f in FUNCTIONS if _takes_keywords(f)]
CALLED_ONCE = [f for f in FUNCTIONS if f not in BY_ROUTE]
# Calls about a received invoice, made as its recipient (objects.py).
AS_RECIPIENT = {
    "mark_invoice_event",
    "list_reports",
    "report_invoice",
    "delete_report",
    "start_analysis",
    "analysis_results",
}
REROUTES = {
    "einvoice": {"recipient_eia": "003710601555", "recipient_operator": "003721291126"},
    "email": {"recipient_email": "ap@example.com"},
    "print": {
        "recipient_name": "As Oy Koivukuja 5",
        "recipient_address1": "Koivukuja 5",
        "recipient_post_code": "33580",
        "recipient_post_office": "Tampere",
        "recipient_country": "FI",
    },
}


def values(keys) -> dict:
    """Valid values by parameter name; the company and its registration come from the sandbox."""
    return {
        "company_id": keys.company_id,
        "company_ids": [keys.company_id],
        "profile_id": keys.profile_id,
        "bid": "2660421-6",
        "business_ids": ["2660421-6"],
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
        "file": FINVOICE,
        "filename": "invoice.xml",
        "recipient_eia": "003710601555",
        "return_format": "FINVOICE30",
        "state": "HANDLED",
        "reason": ["UNKNOWN_COMPANY"],
        "contact_email": "fraud@example.com",
        "checks": ["VAT"],
        "happened_after": "2026-01-01T00:00:00Z",
        "destination_type": "WEBHOOK",
        "destination": WEBHOOK_DESTINATION,
        "events": ["DOCUMENTS.INVOICE.*"],
        "iban": "FI2112345600000785",
        "bic": "NDEAFIHH",
        "bank": "Nordea",
        "b2c_enabled": False,
        "payment_percent": 100,
        "interest_rate": 5,
        "credit_limit": 50000.0,
        "amount": Decimal("100.00"),
        "day": date(2026, 1, 1),
    }


# Where one name needs another value for one function.
PER_FUNCTION = {
    "list_invoices": {"status": ["DELIVERED"]},
    "list_documents": {"status": ["DELIVERED"]},
    "send_document": {
        "file": ORDER,
        "filename": "order.xml",
        "type": "ORDER",
        "recipient_eia": ORDER_RECIPIENT_EIA,
        "recipient_operator": "PEPPOL",
    },
}


# OP Laskulaina takes terms and lends once signed, against sent invoices (the collateral).
NEEDS_OP_CREDIT = {
    "accept_op_credit_terms",
    "available_credit",
    "withdraw_credit",
    "pay_directly",
    "account_statement",
}


def running_op_credit(sandbox, keys, objects: SandboxObjects) -> None:
    sandbox.activate_op_credit(keys.company_id)
    objects.sent_invoice_id()


def values_for(function, keys, objects: SandboxObjects) -> Values:
    received = function.__name__ in AS_RECIPIENT
    makers = {
        "invoice_id": (
            (lambda: objects.received_invoice_id) if received else objects.sent_invoice_id
        ),
        "file_id": (
            objects.document_file_id
            if function.__module__.endswith("documents")
            else objects.invoice_file_id
        ),
        "document_id": objects.document_id,
        "report_id": objects.report_id,
        "notification_id": objects.notification_id,
    }
    return Values({**values(keys), **PER_FUNCTION.get(function.__name__, {})}, makers)


def test_resource_functions_are_found():
    names = {f.__name__ for f in FUNCTIONS}

    assert {"current", "create_profile", "list_profiles", "create_company"} <= names
    assert {"send_invoice", "list_documents", "find_receivers", "start_analysis"} <= names
    assert BY_ROUTE == [invoices.reroute]


@pytest.fixture
def client(sandbox, sleeps):
    client = Maventa(maventa.client_config(), token_store=MemoryTokenStore(), sleep=sleeps.append)
    yield client
    client.close()


@pytest.fixture
def objects(sandbox, client, contract_keys) -> SandboxObjects:
    return SandboxObjects(sandbox, client, contract_keys.company)


def api_for(function, client, keys, objects):
    kind = credentials_of(function)
    if kind == PUBLIC:
        return client.public()
    if kind == OPERATOR:
        return client.operator(OperatorCredentials(OPERATOR_ID, OPERATOR_SECRET))
    if function.__name__ in AS_RECIPIENT:
        return objects.buyer(scope=scope_of(function))
    company = keys.company
    credentials = (company["company_id"], company["api_key"], company["vendor_api_key"])
    return client.company(CompanyCredentials(*credentials, scope=scope_of(function)))


@pytest.mark.parametrize("function", CALLED_ONCE, ids=lambda f: f.__name__)
def test_each_client_request_keeps_the_contract(function, sandbox, client, contract_keys, objects):
    sandbox.set_profile(contract_keys.profile_id, status="active")  # PEPPOL needs VISMA live
    given = values_for(function, contract_keys, objects)
    if credentials_of(function) == PUBLIC:
        given["bid"] = finnish_bid(4242)  # a company of its own
    api = api_for(function, client, contract_keys, objects)
    if function.__name__ in NEEDS_OP_CREDIT:
        running_op_credit(sandbox, contract_keys, objects)

    # A refusal raises; a breach of the schema fails at teardown.
    unless_unserved(method_of(function), path_of(function), lambda: call(function, api, given))


@pytest.mark.parametrize("route", sorted(REROUTES))
def test_each_reroute_keeps_the_contract(route, sandbox, client, contract_keys, objects):
    api = api_for(invoices.reroute, client, contract_keys, objects)
    invoice_id = objects.sent_invoice_id()

    unless_unserved(
        "PUT",
        f"/v1/invoices/{{id}}/reroute/{route}",
        lambda: invoices.reroute(api, invoice_id=invoice_id, route=route, **REROUTES[route]),
    )
