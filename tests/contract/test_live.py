"""The read-only contract tests against Maventa's stage (marker ``live``): every GET the client
makes, with the company's and the operator's credentials, each request and answer checked
against the schema. Skipped, saying what is missing, unless MAVENTA_ENV=stage and the
credentials are set (README, 'Contract'); nothing is sent but GETs and the token POST."""

from __future__ import annotations

import inspect
import os

import pytest
from django.conf import settings

from maventa_portal import maventa
from maventa_portal.maventa_api import Maventa, MemoryTokenStore
from maventa_portal.maventa_api.ax import companies, documents, invoices, profiles
from tests.contract.live import ReadOnlySession, why_not_live
from tests.contract.resources import (
    OPERATOR,
    PUBLIC,
    Values,
    call,
    credentials_of,
    method_of,
    resource_functions,
    scope_of,
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
    """The stage company's Api with a token of the scope given (Maventa's default: none)."""
    client, _ = stage

    def api(scope: str = ""):
        return client.company(
            maventa.company_credentials(
                company_id=os.environ["MAVENTA_STAGE_COMPANY_ID"],
                api_key=os.environ["MAVENTA_STAGE_COMPANY_API_KEY"],
                scope=scope,
            )
        )

    return api


# Ids the stage company may have nothing to read by; the test then skips, saying so.
READ_BY = {
    "profile_id": "network registration",
    "invoice_id": "invoice",
    "document_id": "document",
    "file_id": "file",
}
PER_FUNCTION = {
    "list_invoices": {"status": ["DELIVERED"]},
    "list_documents": {"status": ["DELIVERED"]},
}


def _first_invoice(api) -> invoices.Invoice | None:
    for direction in ("RECEIVED", "SENT"):
        found = invoices.list_invoices(api, direction=direction, per_page=1).items
        if found:
            return invoices.get_invoice(api, invoice_id=found[0].id)
    return None


def _first_document(api) -> documents.Document | None:
    found = documents.list_documents(api, per_page=1).items
    return documents.get_document(api, document_id=found[0].id) if found else None


@pytest.fixture(scope="module")
def stage_objects(company_api) -> dict:
    """Read from the stage company itself, each when first needed: its id, business id,
    country, a registration, an invoice and a document (with their first files)."""
    invoice_api, document_api = company_api(invoices.SCOPE), company_api(documents.SCOPE)
    party = companies.current(company_api()).company
    found = profiles.list_profiles(company_api())
    cached: dict = {}

    def once(name, make):
        return lambda: cached[name] if name in cached else cached.setdefault(name, make())

    invoice = once("invoice", lambda: _first_invoice(invoice_api))
    document = once("document", lambda: _first_document(document_api))
    return {
        "given": {
            "company_id": os.environ["MAVENTA_STAGE_COMPANY_ID"],
            "bid": party.bid if party else "",
            "business_ids": [party.bid] if party and party.bid else [],
            "country": party.country if party else "FI",
            "profile_id": found[0].id if found else "",
            "network": "PEPPOL",
            "status": ["active"],
            "return_format": "FINVOICE30",
        },
        "invoice_id": lambda: invoice().id if invoice() else "",
        "invoice_file_id": lambda: invoice().files[0].id if invoice() and invoice().files else "",
        "document_id": lambda: document().id if document() else "",
        "document_file_id": (
            lambda: document().files[0].id if document() and document().files else ""
        ),
    }


def values_for(function, stage_objects) -> Values:
    in_documents = function.__module__.endswith("documents")
    makers = {
        "invoice_id": stage_objects["invoice_id"],
        "document_id": stage_objects["document_id"],
        "file_id": stage_objects["document_file_id" if in_documents else "invoice_file_id"],
    }
    given = {**stage_objects["given"], **PER_FUNCTION.get(function.__name__, {})}
    return Values(given, makers)


def test_some_reads_are_found():
    assert {"current", "list_profiles", "operator_companies"} <= {f.__name__ for f in READS}


@pytest.mark.live
@pytest.mark.parametrize("function", READS, ids=lambda f: f.__name__)
def test_stage_read_keeps_the_contract(function, stage, company_api, stage_objects):
    client, session = stage
    values = values_for(function, stage_objects)
    for name, thing in READ_BY.items():
        if name in inspect.signature(function).parameters and not values[name]:
            pytest.skip(f"the stage company has no {thing} to read")
    kind = credentials_of(function)
    if kind == OPERATOR:
        api = client.operator(maventa.operator_credentials())  # as the portal makes them
    else:
        api = client.public() if kind == PUBLIC else company_api(scope_of(function))
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
