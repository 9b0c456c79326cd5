"""The Validator API (``/sandbox/validator``): findings with the rules' own ids and locations."""

from __future__ import annotations

from http import HTTPStatus

import pytest
import requests

from tests.sandbox.conftest import company_token
from tests.sandbox.exchange_helpers import sample

pytestmark = pytest.mark.sandbox

PEPPOL = sample("peppol/base-example.xml")
EHF = sample("ehf30-billing-invoice.xml")
FINVOICE = sample("finvoice30-simple.xml")
TEAPPS = sample("teappsxml30-invoice.xml")


@pytest.fixture
def headers(sandbox, company) -> dict[str, str]:
    return {"Authorization": f"Bearer {company_token(sandbox, company, scope='validate')}"}


def validate(sandbox, headers, content: bytes, **fields) -> dict:
    response = requests.post(
        f"{sandbox.validator_url}/v1/validate",
        files={"file": ("document.xml", content)},
        data=fields,
        headers=headers,
        timeout=10,
    )
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()


def findings(answer: dict) -> list[tuple[str, str, str]]:
    return [(f["rule_id"], f["severity"], f["location"]) for f in answer["findings"]]


@pytest.mark.parametrize(
    ("name", "format_"),
    [
        ("peppol/base-example.xml", "PEPPOLBIS30"),
        ("peppol/Allowance-example.xml", "PEPPOLBIS30"),
        ("peppol/base-creditnote-correction.xml", "PEPPOLBIS30"),
        ("ehf30-billing-invoice.xml", "PEPPOLBIS30"),
        ("finvoice30-vat-rates.xml", "FINVOICE30"),
        ("teappsxml30-invoice.xml", "TEAPPS30"),
    ],
)
def test_samples_are_valid(sandbox, headers, name, format_):
    answer = validate(sandbox, headers, sample(name))

    assert answer["valid"] is True
    assert (answer["errors"], answer["warnings"], answer["findings"]) == (0, 0, [])
    assert answer["format"] == format_


def test_total_with_vat_that_does_not_add_up(sandbox, headers):
    broken = PEPPOL.replace(
        b'<cbc:TaxInclusiveAmount currencyID="EUR">1656.25',
        b'<cbc:TaxInclusiveAmount currencyID="EUR">1656.26',
    )

    answer = validate(sandbox, headers, broken)

    assert answer["valid"] is False
    assert ("BR-CO-15", "fatal", "/Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") in (
        findings(answer)
    )
    message = next(f["message"] for f in answer["findings"] if f["rule_id"] == "BR-CO-15")
    assert "Stated 1656.26, computed 1656.25" in message


def test_vat_total_against_its_breakdown(sandbox, headers):
    broken = PEPPOL.replace(
        b'<cbc:TaxAmount currencyID="EUR">331.25', b'<cbc:TaxAmount currencyID="EUR">331.00', 1
    )

    answer = validate(sandbox, headers, broken)

    rules = {f[0] for f in findings(answer)}
    assert "BR-CO-14" in rules
    location = next(f[2] for f in findings(answer) if f[0] == "BR-CO-14")
    assert location == "/Invoice/cac:TaxTotal/cbc:TaxAmount"


def test_line_amounts_against_their_sum(sandbox, headers):
    broken = PEPPOL.replace(
        b'<cbc:LineExtensionAmount currencyID="EUR">1300',
        b'<cbc:LineExtensionAmount currencyID="EUR">1301',
        1,
    )

    answer = validate(sandbox, headers, broken)

    assert [f[0] for f in findings(answer)] == ["BR-CO-10", "BR-CO-13"]


def test_buyer_reference_or_order_reference_is_mandatory_in_peppol(sandbox, headers):
    without = PEPPOL.replace(b"<cbc:BuyerReference>0150abc</cbc:BuyerReference>", b"")

    answer = validate(sandbox, headers, without)

    assert findings(answer) == [
        ("PEPPOL-EN16931-R003", "fatal", "/Invoice/cbc:BuyerReference"),
    ]


def test_missing_mandatory_elements_are_named_where_they_belong(sandbox, headers):
    without = PEPPOL.replace(b"<cbc:ID>Snippet1</cbc:ID>", b"", 1).replace(
        b"<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>", b""
    )

    answer = validate(sandbox, headers, without)

    assert ("BR-02", "fatal", "/Invoice/cbc:ID") in findings(answer)
    assert ("PEPPOL-EN16931-R001", "fatal", "/Invoice/cbc:ProfileID") in findings(answer)


def test_one_currency(sandbox, headers):
    mixed = PEPPOL.replace(
        b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="SEK">'
    )

    answer = validate(sandbox, headers, mixed)

    assert findings(answer) == [
        (
            "PEPPOL-EN16931-R051",
            "fatal",
            "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount/@currencyID",
        )
    ]


def test_norwegian_seller_without_foretaksregisteret_is_a_warning(sandbox, headers):
    without = EHF.replace(
        b"<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>",
        b"<cbc:CompanyID>Other</cbc:CompanyID>",
    )

    answer = validate(sandbox, headers, without, format="EHF30")

    assert answer["valid"] is True
    assert (answer["errors"], answer["warnings"]) == (0, 1)
    assert findings(answer) == [
        ("NO-R-002", "warning", "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")
    ]


def test_norwegian_vat_number_form(sandbox, headers):
    wrong = EHF.replace(b"NO923456783MVA", b"NO923456783")

    answer = validate(sandbox, headers, wrong)

    rule, severity, location = findings(answer)[0]
    assert (rule, severity) == ("NO-R-001", "fatal")
    assert (
        location
        == "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[1]/cbc:CompanyID"
    )


def test_finvoice_totals(sandbox, headers):
    broken = FINVOICE.replace(
        b'<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">420,43',
        b'<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">420,53',
    )

    answer = validate(sandbox, headers, broken)

    assert findings(answer) == [
        ("BR-CO-15", "fatal", "/Finvoice/InvoiceDetails/InvoiceTotalVatIncludedAmount"),
        (
            "BR-CO-16",
            "fatal",
            "/Finvoice/EpiDetails/EpiPaymentInstructionDetails/EpiInstructedAmount",
        ),
    ]


def test_finvoice_structure(sandbox, headers):
    start = FINVOICE.index(b"<BuyerPartyDetails>")
    end = FINVOICE.index(b"</BuyerPartyDetails>") + len(b"</BuyerPartyDetails>")
    without_buyer = FINVOICE[:start] + FINVOICE[end:]

    answer = validate(sandbox, headers, without_buyer)

    assert ("SCHEMA", "fatal", "/Finvoice/BuyerPartyDetails") in findings(answer)
    assert ("BR-07", "fatal", "/Finvoice/BuyerPartyDetails/BuyerOrganisationName") in findings(
        answer
    )


def test_teapps_vat_total(sandbox, headers):
    broken = TEAPPS.replace(
        b'<VAT_TOTAL>\n            <AMOUNT SIGN="+" VAT="EXCLUDED">139,10',
        b'<VAT_TOTAL>\n            <AMOUNT SIGN="+" VAT="EXCLUDED">139,00',
    )

    answer = validate(sandbox, headers, broken)

    rules = [f[0] for f in findings(answer)]
    assert rules == ["BR-CO-14", "BR-CO-15"]
    assert findings(answer)[0][2] == (
        "/INVOICE_CENTER/CONTENT_FRAME/INVOICES/INVOICE/SUMMARY/VAT_TOTAL/AMOUNT"
    )


def test_not_well_formed_is_a_finding_with_its_line(sandbox, headers):
    answer = validate(sandbox, headers, b"<Invoice>\n<cbc:ID>\n</Invoice>")

    assert answer["valid"] is False
    [finding] = answer["findings"]
    assert finding["rule_id"] == "XML"
    assert finding["location"].startswith("/ (line ")


def test_unknown_format_and_format_mismatch(sandbox, headers):
    unknown = validate(sandbox, headers, b"<Letter/>")
    mismatch = validate(sandbox, headers, FINVOICE, format="PEPPOLBIS30")

    assert findings(unknown) == [("FORMAT", "fatal", "/Letter")]
    assert findings(mismatch)[0][0] == "FORMAT"
    assert mismatch["format"] == "FINVOICE30"


def test_hostile_xml_is_refused_as_a_finding(sandbox, headers):
    billion = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">]><Invoice>&a;</Invoice>'

    answer = validate(sandbox, headers, billion)

    assert answer["findings"][0]["rule_id"] == "XML"
    assert "DOCTYPE" in answer["findings"][0]["message"]


def test_raw_xml_body(sandbox, headers):
    response = requests.post(
        f"{sandbox.validator_url}/v1/validate",
        data=TEAPPS,
        headers={**headers, "Content-Type": "application/xml"},
        params={"format": "TEAPPS30"},
        timeout=10,
    )

    assert response.json()["valid"] is True


def test_an_order_is_checked_for_its_format_only(sandbox, headers):
    answer = validate(sandbox, headers, sample("peppol-bis3-order.xml"))

    assert (answer["valid"], answer["document_type"]) == (True, "ORDER")


def test_a_document_is_required(sandbox, headers):
    response = requests.post(
        f"{sandbox.validator_url}/v1/validate",
        files={"format": (None, "FINVOICE30")},
        headers=headers,
        timeout=10,
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["details"] == ["file is missing"]


def test_an_unknown_format_asked_is_refused(sandbox, headers):
    response = requests.post(
        f"{sandbox.validator_url}/v1/validate",
        files={"file": ("x.xml", FINVOICE)},
        data={"format": "WORD"},
        headers=headers,
        timeout=10,
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_validation_needs_the_validate_scope(sandbox, company):
    plain = {"Authorization": f"Bearer {company_token(sandbox, company)}"}

    response = requests.post(
        f"{sandbox.validator_url}/v1/validate",
        files={"file": ("x.xml", FINVOICE)},
        headers=plain,
        timeout=10,
    )
    anonymous = requests.post(f"{sandbox.validator_url}/v1/validate", timeout=10)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "insufficient_scope"
    assert anonymous.status_code == HTTPStatus.UNAUTHORIZED


def test_rules_list_what_is_checked(sandbox, headers):
    response = requests.get(f"{sandbox.validator_url}/v1/rules", headers=headers, timeout=10)

    body = response.json()
    assert body["formats"] == ["PEPPOLBIS30", "EHF30", "FINVOICE30", "TEAPPS30"]
    assert "PEPPOL-EN16931-R003" in body["rules"]["PEPPOLBIS30"]
