"""UBL beyond Peppol's samples: EHF, orders and other documents, unknown specifications."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exchange import formats
from exchange.formats import InvoiceFormat, errors
from tests.exchange.formats.samples import our_sample, peppol_sample

EHF_2_INVOICE = (
    "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:"
    "urn:www.peppol.eu:bis:peppol5a:ver2.0:extended:urn:www.difi.no:ehf:faktura:ver2.0"
)
PEPPOL_BIS_2_INVOICE = (
    "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0"
)
TRNS = "urn:fdc:peppol.eu:poacc:trns:"
BILLING_3 = b"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def ubl(root: str, customization: str, body: str = "") -> bytes:
    return (
        f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"<cbc:CustomizationID>{customization}</cbc:CustomizationID>{body}</{root}>"
    ).encode()


def test_norwegian_ehf_billing_3_invoice_is_peppol_bis_3():
    # EHF Billing 3.0 is Peppol BIS Billing 3.0, CustomizationID included; Maventa's format
    # enum has no EHF30 for invoices.
    summary = formats.parse(our_sample("ehf30-billing-invoice.xml"))

    assert summary.format == InvoiceFormat.PEPPOLBIS30
    assert (summary.number, summary.currency) == ("2025-0417", "NOK")
    assert summary.seller.name == "Bergen Rådgivning AS"
    assert summary.seller.business_id == "923456783"
    # The VAT number, not the "Foretaksregisteret" mark of the TAX scheme.
    assert summary.seller.vat_id == "NO923456783MVA"
    assert str(summary.seller.electronic_address) == "0192:923456783"
    assert str(summary.buyer.electronic_address) == "0192:998877660"
    assert (summary.payment.reference, summary.payment.account) == ("20250315007", "15031234562")
    totals = summary.totals
    assert (totals.line_extension, totals.allowances) == (Decimal("14960.00"), Decimal("300.00"))
    assert (totals.tax_exclusive, totals.tax) == (Decimal("14660.00"), Decimal("3549.00"))
    assert totals.tax_inclusive == totals.payable == Decimal("18209.00")
    assert [(v.percent, v.taxable_amount, v.tax_amount) for v in summary.vat] == [
        (Decimal("25"), Decimal("13500.00"), Decimal("3375.00")),
        (Decimal("15"), Decimal("1160.00"), Decimal("174.00")),
    ]
    assert [(line.quantity, line.unit, line.net_amount) for line in summary.lines] == [
        (Decimal("12"), "HUR", Decimal("13800.00")),
        (Decimal("8"), "EA", Decimal("1160.00")),
    ]
    assert (summary.buyer_reference, summary.order_reference) == ("Prosjekt 7731", "IO-55120")


@pytest.mark.parametrize(
    ("name", "expected_format"),
    [("peppol-bis3-order.xml", InvoiceFormat.PEPPOLBIS30), ("ehf30-order.xml", "EHF30")],
)
def test_an_order_is_recognised_and_refused_as_not_an_invoice(name, expected_format):
    data = our_sample(name)

    detected = formats.detect(data)
    with pytest.raises(formats.NotAnInvoice) as refused:
        formats.parse(data)

    assert (detected.format, detected.kind, detected.root) == (expected_format, "ORDER", "Order")
    assert not detected.is_invoice
    assert refused.value.detected == detected
    assert refused.value.staff_message == errors.NOT_AN_INVOICE.format(
        article="an", kind="order", format=f"{detected.format.label}, Order"
    )


@pytest.mark.parametrize(
    ("root", "customization", "kind"),
    [
        ("ApplicationResponse", TRNS + "invoice_response:3", "INVOICE_RESPONSE"),
        ("ApplicationResponse", TRNS + "mlr:3", "MESSAGE_LEVEL_RESPONSE"),
        ("ApplicationResponse", TRNS + "catalogue_response:3", "CATALOGUE_RESPONSE"),
        ("OrderResponse", TRNS + "order_response:3", "ORDER_RESPONSE"),
        ("DespatchAdvice", TRNS + "despatch_advice:3", "DESPATCH_ADVICE"),
        ("Catalogue", TRNS + "catalogue:3", "CATALOGUE"),
        ("Order", "urn:fdc:anskaffelser.no:2019:ehf:spec:order-agreement:3.0", "ORDER"),
    ],
)
def test_other_peppol_documents_get_maventas_document_types(root, customization, kind):
    detected = formats.detect(ubl(root, customization))

    assert detected.kind == kind
    with pytest.raises(formats.NotAnInvoice):
        formats.parse(ubl(root, customization))


@pytest.mark.parametrize(
    ("customization", "expected"),
    [
        (EHF_2_INVOICE, InvoiceFormat.EHF20),
        (PEPPOL_BIS_2_INVOICE, InvoiceFormat.PEPPOLBIS20),
        (BILLING_3.decode() + "#conformant#urn:fdc:example.eu:extension:1.0", "PEPPOLBIS30"),
    ],
)
def test_older_and_extended_specifications(customization, expected):
    assert formats.detect(ubl("Invoice", customization)).format == expected


@pytest.mark.parametrize(
    "customization",
    [
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        "urn:cen.eu:en16931:2017",
        "",
    ],
)
def test_an_invoice_in_an_unknown_ubl_specification_is_refused(customization):
    with pytest.raises(formats.UnknownFormat) as refused:
        formats.parse(ubl("Invoice", customization))

    assert refused.value.staff_message == errors.UNKNOWN_UBL.format(
        root="Invoice", customization=customization or "(none)"
    )


@pytest.mark.parametrize(
    ("original", "broken", "field", "path"),
    [
        (b">1656.25</cbc:PayableAmount>", b">1,656.25</cbc:PayableAmount>",
         "payable amount", "LegalMonetaryTotal/PayableAmount"),
        (b'<cbc:TaxAmount currencyID="EUR">331.25</cbc:TaxAmount>\n        <cac:TaxSubtotal>',
         b'<cbc:TaxAmount currencyID="EUR">Infinity</cbc:TaxAmount><cac:TaxSubtotal>',
         "VAT total", "TaxTotal/TaxAmount"),
        (b'<cbc:TaxableAmount currencyID="EUR">1325<', b'<cbc:TaxableAmount currencyID="EUR">1e3<',
         "VAT breakdown S taxable amount", "TaxSubtotal/TaxableAmount"),
        (b'"EUR">400</cbc:PriceAmount>', b'"EUR">4OO</cbc:PriceAmount>',
         "line 1 price", "InvoiceLine/Price/PriceAmount"),
        (b"<cbc:IssueDate>2017-11-13<", b"<cbc:IssueDate>2017-02-30<", "issue date", "IssueDate"),
        (b"<cbc:DueDate>2017-12-01<", b"<cbc:DueDate>01.12.2017<", "due date", "DueDate"),
    ],
)  # fmt: skip
def test_malformed_number_or_date_is_refused_naming_the_field(original, broken, field, path):
    data = peppol_sample("base-example.xml")
    assert original in data

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(data.replace(original, broken))

    assert (refused.value.field, refused.value.path) == (field, path)
    assert field in refused.value.staff_message


def test_invoice_without_a_seller_is_refused():
    body = (
        "<cbc:ID>7</cbc:ID><cbc:IssueDate>2025-03-01</cbc:IssueDate>"
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
    )

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(ubl("Invoice", BILLING_3.decode(), body))

    assert refused.value.staff_message == errors.MISSING_VALUE.format(
        field="seller", path="AccountingSupplierParty/Party"
    )
