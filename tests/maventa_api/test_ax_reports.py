"""Fraud reports offline: the body sent, the 409 of a second report told to staff plainly, the
definitions read without a token, and a 404 read as no reports."""

from __future__ import annotations

import json

import pytest

from maventa_portal.maventa_api import Conflict, Invalid
from maventa_portal.maventa_api.ax import reports
from tests.maventa_api.offline import AX, TOKEN_URL, calls_to, token_answer

REPORTS_URL = f"{AX}/v1/invoices/inv-1/reports"
DEFINITIONS_URL = f"{AX}/v1/invoices/reports/definitions"
REASONS = ["UNKNOWN_COMPANY", "KNOWN_FOR_FRAUD_ATTEMPTS"]


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def test_a_report_sends_its_reasons_contact_and_description(http_mock, token, offline_api):
    http_mock.post(REPORTS_URL, status=204)

    reports.report_invoice(
        offline_api,
        invoice_id="inv-1",
        reason=REASONS,
        contact_email="staff@example.com",
        description="Never ordered.",
    )

    assert json.loads(calls_to(http_mock, "POST", REPORTS_URL)[0].request.body) == {
        "reason": REASONS,
        "contact_email": "staff@example.com",
        "description": "Never ordered.",
    }


def test_a_second_report_says_the_company_reported_it_already(http_mock, token, offline_api):
    http_mock.post(
        REPORTS_URL, status=409, json={"code": "conflict", "message": "Company already reported"}
    )

    with pytest.raises(Conflict) as caught:
        reports.report_invoice(
            offline_api, invoice_id="inv-1", reason=REASONS, contact_email="staff@example.com"
        )

    assert caught.value.staff_message == "This invoice was already reported by this company."
    assert caught.value.status == 409
    assert caught.value.detail == "Company already reported"


def test_a_report_without_reasons_is_refused_before_sending(http_mock, offline_api):
    with pytest.raises(Invalid) as caught:
        reports.report_invoice(
            offline_api, invoice_id="inv-1", reason=[], contact_email="staff@example.com"
        )

    assert caught.value.staff_message == reports.REPORT_NEEDS
    assert len(http_mock.calls) == 0


def test_the_definitions_are_read_without_a_token(http_mock, offline_client):
    http_mock.get(
        DEFINITIONS_URL,
        json={
            "criteria": [
                {
                    "name": "UNKNOWN_COMPANY",
                    "friendly_name": "Unknown company",
                    "friendly_names": [{"lang": "fi", "value": "Tuntematon yritys"}],
                }
            ],
            "disclaimer_text": "Reports are shared.",
        },
    )

    found = reports.report_definitions(offline_client.public())

    assert found.criteria[0].name == "UNKNOWN_COMPANY"
    assert found.criteria[0].friendly_names[0].value == "Tuntematon yritys"
    assert found.disclaimer_text == "Reports are shared."
    assert "Authorization" not in http_mock.calls[0].request.headers


def test_no_user_report_found_reads_as_none(http_mock, token, offline_api):
    http_mock.get(REPORTS_URL, status=404, json={"message": "No user report found"})

    assert reports.list_reports(offline_api, invoice_id="inv-1") == []


def test_reports_are_read_with_their_reasons(http_mock, token, offline_api):
    http_mock.get(
        REPORTS_URL,
        json=[{"id": "r-1", "reasons": [{"name": "UNKNOWN_COMPANY"}], "company_bid": "123"}],
    )
    http_mock.delete(f"{REPORTS_URL}/r-1", status=204)

    found = reports.list_reports(offline_api, invoice_id="inv-1")
    reports.delete_report(offline_api, invoice_id="inv-1", report_id="r-1")

    assert found == [
        reports.UserReport(
            id="r-1", company_bid="123", reasons=(reports.Criterion(name="UNKNOWN_COMPANY"),)
        )
    ]
    assert len(calls_to(http_mock, "DELETE", f"{REPORTS_URL}/r-1")) == 1
