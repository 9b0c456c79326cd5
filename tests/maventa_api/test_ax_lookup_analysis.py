"""Lookup and Detect offline: array parameters under their wire names, an analysis started by
its query string alone, definitions without a token; and the Validator's findings."""

from __future__ import annotations

import pytest

from maventa_portal.maventa_api import validator
from maventa_portal.maventa_api.ax import analysis, lookup
from tests.maventa_api.offline import (
    AX,
    TOKEN_URL,
    VALIDATOR,
    calls_to,
    form_parts,
    query_of,
    token_answer,
)

ANALYSIS_URL = f"{AX}/v1/analysis"
PENDING = {"analysis_type": "VAT", "analysis_status": "PENDING", "analysis_result": {}}


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def test_receivers_are_looked_up_by_network_and_paged(http_mock, token, offline_api):
    url = f"{AX}/v1/lookup/receivers"
    http_mock.get(
        url,
        json=[
            {
                "eia": "0216:003712345678",
                "identifier": {"eaid_code": "0216", "endpoint_id": "003712345678"},
                "document_types": [{"document_type": "INVOICE"}],
                "participant": {"name": "Buyer Oy", "bid": "1234567-8"},
            }
        ],
        headers={"X-Total-Pages": "1"},
    )

    page = lookup.find_receivers(
        offline_api, network=["PEPPOL"], bid="1234567-8", country=["FI"], document_type=["INVOICE"]
    )

    assert query_of(calls_to(http_mock, "GET", url)[0]) == [
        ("network[]", "PEPPOL"),
        ("bid", "1234567-8"),
        ("country[]", "FI"),
        ("document_type[]", "INVOICE"),
        ("page", "1"),
        ("per_page", "100"),
    ]
    found = page.items[0]
    assert (found.identifier.eaid_code, found.participant.name) == ("0216", "Buyer Oy")
    assert found.document_types == (lookup.ReceiverDocumentType(document_type="INVOICE"),)
    assert page.is_last


def test_sending_endpoints_take_business_ids_and_read_one_or_many(http_mock, token, offline_api):
    url = f"{AX}/v1/lookup/endpoints"
    http_mock.get(url, json={"bid": "1234567-8", "sending": ["einvoice"]})

    found = lookup.sending_endpoints(offline_api, business_ids=["1234567-8"], country="FI")

    assert query_of(calls_to(http_mock, "GET", url)[0]) == [
        ("business_ids[]", "1234567-8"),
        ("country", "FI"),
    ]
    assert found == [lookup.SendingEndpoint(bid="1234567-8", sending=("einvoice",))]


def test_more_than_ten_business_ids_are_refused_before_sending(offline_api):
    with pytest.raises(ValueError, match="1 to 10 business ids"):
        lookup.sending_endpoints(offline_api, business_ids=[str(n) for n in range(11)])


def test_operators_are_listed(http_mock, token, offline_api):
    http_mock.get(f"{AX}/v1/entities/operators", json=[{"operator_id": "003721291126"}])

    assert lookup.operators(offline_api) == [lookup.Operator(operator_id="003721291126")]


def test_an_analysis_starts_by_query_string_without_a_body(http_mock, token, offline_api):
    http_mock.post(ANALYSIS_URL, status=201, json=[PENDING])

    started = analysis.start_analysis(
        offline_api, invoice_id="inv-1", checks=["VAT", "SENDER_BID_STATUS"]
    )

    call = calls_to(http_mock, "POST", ANALYSIS_URL)[0]
    assert query_of(call) == [
        ("resource_id", "inv-1"),
        ("resource_type", "INVOICE"),
        ("checks_to_run[]", "VAT"),
        ("checks_to_run[]", "SENDER_BID_STATUS"),
    ]
    assert not call.request.body
    assert "Content-Type" not in call.request.headers
    assert started == [analysis.Analysis(analysis_type="VAT", analysis_status="PENDING")]


def test_results_are_read_by_invoice(http_mock, token, offline_api):
    done = {
        "analysis_type": "BANK_ACCOUNT_CHANGED",
        "analysis_status": "RUN_SUCCESSFUL",
        "analysis_result": {
            "status": "WARNING",
            "reason_code": "BANK_ACCOUNT_CHANGED_CHANGED",
            "data": {"bank_account": "FI49..."},
        },
    }
    http_mock.get(f"{ANALYSIS_URL}/inv-1", json=[done])

    (result,) = analysis.analysis_results(offline_api, invoice_id="inv-1")

    assert result.analysis_result.reason_code == "BANK_ACCOUNT_CHANGED_CHANGED"
    assert result.analysis_result.data == {"bank_account": "FI49..."}


def test_check_definitions_are_read_without_a_token(http_mock, offline_client):
    url = f"{ANALYSIS_URL}/definitions"
    http_mock.get(url, json={"app_version": "1", "checks": [{"name": "VAT", "scopes": ["a"]}]})

    found = analysis.analysis_definitions(offline_client.public(), checks=["VAT"])

    assert found.checks == (analysis.CheckDefinition(name="VAT", scopes=("a",)),)
    assert query_of(http_mock.calls[0]) == [("checks[]", "VAT")]
    assert "Authorization" not in http_mock.calls[0].request.headers


def test_the_validator_gets_the_file_and_answers_findings(http_mock, token, offline_api):
    url = f"{VALIDATOR}/v1/validate"
    http_mock.post(
        url,
        json={
            "errors": [{"rule_id": "BR-CO-15", "message": "Totals differ", "location": "/Inv"}],
            "warnings": [{"rule": "PEPPOL-R001", "text": "Advice"}],
        },
    )

    report = validator.validate(offline_api, file=b"<Invoice/>", filename="invoice.xml")

    part = form_parts(calls_to(http_mock, "POST", url)[0])[0]
    assert (part.name, part.filename, part.content) == ("file", "invoice.xml", b"<Invoice/>")
    assert not report.valid
    assert report.errors == (validator.Finding("BR-CO-15", "error", "Totals differ", "/Inv"),)
    assert report.warnings == (validator.Finding("PEPPOL-R001", "warning", "Advice", ""),)


def test_a_document_without_findings_is_valid():
    assert validator.report_from_json({"errors": []}).valid
    assert not validator.report_from_json({"valid": False}).valid
    assert validator.report_from_json([{"severity": "WARNING", "message": "x"}]).valid
