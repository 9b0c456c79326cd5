"""Peppol's own BIS Billing 3.0 examples (tests/fixtures/einvoices/peppol) to their numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from exchange import formats
from exchange.formats import DocumentKind, InvoiceFormat
from tests.exchange.formats.samples import PEPPOL_SAMPLES, peppol_sample

PEPPOL_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("base-example.xml", DocumentKind.INVOICE),
        ("base-creditnote-correction.xml", DocumentKind.CREDIT_NOTE),
        ("Allowance-example.xml", DocumentKind.INVOICE),
        ("vat-category-Z.xml", DocumentKind.INVOICE),
        ("sales-order-example.xml", DocumentKind.INVOICE),
    ],
)
def test_every_shared_sample_is_detected_as_peppol_bis_3(name, kind):
    detected = formats.detect(peppol_sample(name))

    assert detected.format == InvoiceFormat.PEPPOLBIS30 == "PEPPOLBIS30"
    assert detected.kind is kind
    assert detected.customization_id == PEPPOL_BILLING


def test_the_shared_folder_holds_no_sample_left_untested():
    assert sorted(path.name for path in PEPPOL_SAMPLES.glob("*.xml")) == [
        "Allowance-example.xml",
        "base-creditnote-correction.xml",
        "base-example.xml",
        "sales-order-example.xml",
        "vat-category-Z.xml",
    ]


def test_base_example_totals_lines_and_parties():
    summary = formats.parse(peppol_sample("base-example.xml"))

    assert (summary.number, summary.currency) == ("Snippet1", "EUR")
    assert summary.issue_date == datetime.date(2017, 11, 13)
    assert summary.due_date == datetime.date(2017, 12, 1)
    totals = summary.totals
    assert totals.line_extension == Decimal("1300")
    assert totals.charges == Decimal("25")
    assert totals.allowances == Decimal("0")
    assert totals.tax_exclusive == Decimal("1325")
    assert totals.tax == Decimal("331.25")
    assert totals.tax_inclusive == Decimal("1656.25")
    assert totals.payable == Decimal("1656.25")
    assert len(summary.lines) == 2
    first, second = summary.lines
    assert (first.id, first.name, first.description) == ("1", "item name", "Description of item")
    assert (first.quantity, first.unit, first.unit_price) == (Decimal("7"), "DAY", Decimal("400"))
    assert first.net_amount == Decimal("2800")
    assert (first.vat_category, first.vat_percent) == ("S", Decimal("25.0"))
    assert (second.quantity, second.net_amount) == (Decimal("-3"), Decimal("-1500"))
    (vat,) = summary.vat
    assert (vat.category, vat.percent) == ("S", Decimal("25.0"))
    assert (vat.taxable_amount, vat.tax_amount) == (Decimal("1325"), Decimal("331.25"))
    assert summary.seller.name == "SupplierOfficialName Ltd"
    assert str(summary.seller.electronic_address) == "0088:9482348239847239874"
    assert (summary.seller.vat_id, summary.seller.business_id) == ("GB1232434", "GB983294")
    assert summary.seller.country == "GB"
    assert summary.buyer.name == "Buyer Official Name"
    assert str(summary.buyer.electronic_address) == "0002:FR23342"
    assert summary.buyer.address.lines == ("Hovedgatan 32", "Po box 878")
    assert (summary.buyer.address.postal_code, summary.buyer.address.city) == (
        "456 34",
        "Stockholm",
    )
    assert summary.buyer_reference == "0150abc"
    assert (summary.payment.reference, summary.payment.account) == ("Snippet1", "IBAN32423940")
    assert summary.payment.bic == "BIC324098"


def test_credit_note_amounts_are_negative():
    summary = formats.parse(peppol_sample("base-creditnote-correction.xml"))

    assert summary.kind is DocumentKind.CREDIT_NOTE
    assert summary.number == "Snippet1"
    assert summary.due_date is None
    totals = summary.totals
    assert totals.line_extension == Decimal("-1300")
    assert totals.charges == Decimal("-25")
    assert totals.tax_exclusive == Decimal("-1325")
    assert totals.tax == Decimal("-331.25")
    assert totals.tax_inclusive == Decimal("-1656.25")
    assert totals.payable == Decimal("-1656.25")
    assert str(totals.allowances) == "0"  # negated zeros stay "0", not "-0"
    first, second = summary.lines
    assert (first.quantity, first.unit_price, first.net_amount) == (
        Decimal("-7"),
        Decimal("400"),
        Decimal("-2800"),
    )
    # A credited negative line is a debit: it turns positive.
    assert (second.quantity, second.net_amount) == (Decimal("3"), Decimal("1500"))
    (vat,) = summary.vat
    assert (vat.taxable_amount, vat.tax_amount) == (Decimal("-1325"), Decimal("-331.25"))


def test_allowance_example_reads_allowances_charges_prepaid_and_two_vat_rates():
    summary = formats.parse(peppol_sample("Allowance-example.xml"))

    totals = summary.totals
    assert totals.line_extension == Decimal("5900")
    assert totals.allowances == Decimal("200")
    assert totals.charges == Decimal("200")
    assert totals.tax_exclusive == Decimal("5900")
    # The second TaxTotal (9324.00 SEK, the accounting currency) is not the document's VAT.
    assert totals.tax == Decimal("1225.00")
    assert totals.tax_inclusive == Decimal("7125")
    assert totals.prepaid == Decimal("1000")
    assert totals.payable == Decimal("6125.00")
    assert [(v.category, v.percent, v.taxable_amount, v.tax_amount) for v in summary.vat] == [
        ("S", Decimal("25"), Decimal("4900.0"), Decimal("1225")),
        ("E", Decimal("0"), Decimal("1000.0"), Decimal("0")),
    ]
    assert len(summary.lines) == 3
    first, second, _ = summary.lines
    assert (first.quantity, first.unit, first.unit_price) == (Decimal("10"), "C62", Decimal("410"))
    assert (first.base_quantity, first.net_amount) == (Decimal("1"), Decimal("4000.00"))
    # 10 at 200 per 2 units: the price stays as written, with its base quantity.
    assert (second.unit_price, second.base_quantity) == (Decimal("200"), Decimal("2"))
    assert (second.net_amount, second.vat_category) == (Decimal("1000.00"), "E")
    assert str(summary.seller.electronic_address) == "0088:7300010000001"


def test_vat_category_z_sample():
    summary = formats.parse(peppol_sample("vat-category-Z.xml"))

    assert (summary.number, summary.currency, summary.due_date) == ("Vat-Z", "GBP", None)
    assert summary.totals.payable == Decimal("1200.00")
    assert summary.totals.tax == Decimal("0.00")
    (line,) = summary.lines
    assert (line.quantity, line.unit, line.unit_price) == (Decimal("10"), "EA", Decimal("120.00"))
    assert (line.net_amount, line.vat_category, line.vat_percent) == (
        Decimal("1200.00"),
        "Z",
        Decimal("0"),
    )
    (vat,) = summary.vat
    assert (vat.category, vat.taxable_amount, vat.tax_amount) == (
        "Z",
        Decimal("1200.00"),
        Decimal("0.00"),
    )
    # No PartyName: the legal name; no trading details for the buyer beyond the endpoint.
    assert summary.seller.name == "The Sellercompany Incorporated"
    assert str(summary.buyer.electronic_address) == "0184:12345678"
    assert (summary.payment.account, summary.payment.bic) == ("SE1212341234123412", "SEXDABCD")
    assert summary.payment.reference == ""


def test_sales_order_example_is_an_invoice_that_cites_a_sales_order():
    # Despite its name, Peppol's sales-order example is an invoice whose OrderReference has
    # "NA" for the missing purchase order and the seller's order in SalesOrderID.
    summary = formats.parse(peppol_sample("sales-order-example.xml"))

    assert summary.kind is DocumentKind.INVOICE
    assert (summary.order_reference, summary.sales_order_reference) == ("NA", "123456")
    assert summary.totals.payable == Decimal("1656.25")
    assert summary.totals.tax == Decimal("331.25")
    assert len(summary.lines) == 2
    assert summary.lines[0].net_amount == Decimal("2800")
