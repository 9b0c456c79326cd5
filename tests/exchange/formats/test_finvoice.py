"""Finvoice 3.0: our samples read to their numbers; versions, kinds and malformed fields."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from exchange import formats
from exchange.formats import DocumentKind, InvoiceFormat, errors
from tests.exchange.formats.samples import our_sample

SIMPLE = "finvoice30-simple.xml"


def test_simple_invoice_in_iso_8859_15():
    summary = formats.parse(our_sample(SIMPLE))

    assert summary.format == InvoiceFormat.FINVOICE30 == "FINVOICE30"
    assert summary.kind is DocumentKind.INVOICE
    assert (summary.number, summary.currency) == ("20250310", "EUR")
    assert summary.issue_date == datetime.date(2025, 3, 10)
    assert summary.due_date == datetime.date(2025, 3, 24)
    assert summary.seller.name == "Kattohuolto Virtanen Oy"
    assert (summary.seller.business_id, summary.seller.vat_id) == ("2345678-0", "FI23456780")
    assert str(summary.seller.electronic_address) == "0037:003723456780"
    assert summary.seller.address.lines == ("Peltikatontie 4",)
    assert summary.seller.country == "FI"
    assert summary.buyer.name == "As Oy Koivukuja 5"
    assert str(summary.buyer.electronic_address) == "0037:003710601555"
    assert summary.buyer_reference == "Kevättarkastus 2025"
    assert summary.order_reference == "TILAUS-118"
    assert summary.payment.reference == "2025031010"
    assert (summary.payment.account, summary.payment.bic) == ("FI1115723500123456", "NDEAFIHH")
    totals = summary.totals
    assert totals.line_extension == totals.tax_exclusive == Decimal("335.00")
    assert totals.tax == Decimal("85.43")
    assert totals.tax_inclusive == totals.payable == Decimal("420.43")
    # The third InvoiceRow is a note ("Työt tehty 6.3.2025."), not a line.
    assert len(summary.lines) == 2
    first = summary.lines[0]
    assert (first.id, first.name) == ("1", "Kattotarkastus")
    assert (first.quantity, first.unit, first.unit_price) == (Decimal("3"), "HUR", Decimal("85.00"))
    assert first.net_amount == Decimal("255.00")
    assert (first.vat_category, first.vat_percent) == ("S", Decimal("25.5"))
    (vat,) = summary.vat
    assert (vat.category, vat.percent) == ("S", Decimal("25.5"))
    assert (vat.taxable_amount, vat.tax_amount) == (Decimal("335.00"), Decimal("85.43"))


def test_invoice_with_three_vat_rates_adds_up():
    summary = formats.parse(our_sample("finvoice30-vat-rates.xml"))

    assert summary.number == "10442"
    assert [(v.percent, v.taxable_amount, v.tax_amount) for v in summary.vat] == [
        (Decimal("25.5"), Decimal("188.00"), Decimal("47.94")),
        (Decimal("14"), Decimal("87.00"), Decimal("12.18")),
        (Decimal("10"), Decimal("96.00"), Decimal("9.60")),
    ]
    assert len(summary.lines) == 4
    assert [line.vat_percent for line in summary.lines] == [
        Decimal("25.5"),
        Decimal("25.5"),
        Decimal("14"),
        Decimal("10"),
    ]
    assert sum(line.net_amount for line in summary.lines) == summary.totals.line_extension
    for line in summary.lines:
        assert line.quantity * line.unit_price == line.net_amount
    totals = summary.totals
    assert (totals.line_extension, totals.tax) == (Decimal("371.00"), Decimal("69.72"))
    assert sum(v.tax_amount for v in summary.vat) == totals.tax
    assert totals.tax_inclusive == totals.payable == Decimal("440.72")
    assert summary.lines[1].description == "Alkuperäinen, riittoisuus noin 2 000 sivua"
    assert summary.payment.reference == "RF722025031401"
    assert str(summary.buyer.electronic_address) == "0037:003709127972001"
    assert summary.buyer.address.lines == ("Hämeenkatu 21", "3. krs")


def test_credit_note_keeps_its_minus_signs():
    summary = formats.parse(our_sample("finvoice30-credit-note.xml"))

    assert summary.kind is DocumentKind.CREDIT_NOTE
    assert summary.totals.tax_inclusive == summary.totals.payable == Decimal("-50.20")
    assert summary.totals.tax == Decimal("-10.20")
    (line,) = summary.lines
    assert (line.quantity, line.unit_price, line.net_amount) == (
        Decimal("-1"),
        Decimal("40.00"),
        Decimal("-40.00"),
    )


def test_credit_note_written_with_positive_amounts_is_negated():
    data = our_sample("finvoice30-credit-note.xml").replace(b">-", b">")

    summary = formats.parse(data)

    assert summary.totals.tax_inclusive == summary.totals.payable == Decimal("-50.20")
    assert summary.lines[0].net_amount == Decimal("-40.00")
    assert summary.vat[0].tax_amount == Decimal("-10.20")


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2.01", InvoiceFormat.FINVOICE20), ("2.0", InvoiceFormat.FINVOICE20), ("1.3", "FINVOICE13")],
)
def test_older_versions_are_named_as_maventa_names_them(version, expected):
    data = our_sample(SIMPLE).replace(b'Version="3.0"', f'Version="{version}"'.encode())

    assert formats.detect(data).format == expected


def test_unknown_version_is_refused():
    data = our_sample(SIMPLE).replace(b'Version="3.0"', b'Version="4.0"')

    with pytest.raises(errors.UnknownFormat) as refused:
        formats.detect(data)

    assert refused.value.staff_message == errors.UNKNOWN_VERSION.format(
        name="Finvoice", version="4.0"
    )


def test_a_finvoice_order_is_not_an_invoice():
    data = our_sample(SIMPLE).replace(b">INV01<", b">ORD01<")

    with pytest.raises(formats.NotAnInvoice) as refused:
        formats.parse(data)

    assert refused.value.detected.kind is DocumentKind.ORDER
    assert "an order (Finvoice 3.0, Finvoice)" in refused.value.staff_message


@pytest.mark.parametrize(
    ("original", "broken", "field", "path"),
    [
        (b">420,43</InvoiceTotalVatIncludedAmount>", b">420.4.3</InvoiceTotalVatIncludedAmount>",
         "total with VAT", "InvoiceDetails/InvoiceTotalVatIncludedAmount"),
        (b">255,00</RowVatExcludedAmount>", b">NaN</RowVatExcludedAmount>",
         "line 1 net amount", "InvoiceRow/RowVatExcludedAmount"),
        (b'"CCYYMMDD">20250310</InvoiceDate>', b'"CCYYMMDD">20251310</InvoiceDate>',
         "issue date", "InvoiceDetails/InvoiceDate"),
        (b'"CCYYMMDD">20250324</InvoiceDueDate>', b'"CCYYMMDD">24.3.2025</InvoiceDueDate>',
         "due date", "InvoiceDetails/PaymentTermsDetails/InvoiceDueDate"),
    ],
)  # fmt: skip
def test_malformed_number_or_date_is_refused_naming_the_field(original, broken, field, path):
    data = our_sample(SIMPLE)
    assert original in data

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(data.replace(original, broken))

    assert (refused.value.field, refused.value.path) == (field, path)
    assert refused.value.staff_message.startswith(f"The invoice's {field} ({path}) is ")


def test_missing_invoice_number_is_refused():
    data = our_sample(SIMPLE).replace(b"<InvoiceNumber>20250310</InvoiceNumber>", b"")

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(data)

    assert refused.value.staff_message == errors.MISSING_VALUE.format(
        field="invoice number", path="InvoiceDetails/InvoiceNumber"
    )


def test_electronic_address_falls_back_to_the_transmission_address():
    data = our_sample(SIMPLE).replace(
        b"<SellerOrganisationUnitNumber>003723456780</SellerOrganisationUnitNumber>", b""
    )
    # A seller reached through the banks' network is addressed by its IBAN, with no scheme.
    data = data.replace(
        b"<FromIdentifier>003723456780</FromIdentifier>",
        b"<FromIdentifier>FI1115723500123456</FromIdentifier>",
    )

    seller = formats.parse(data).seller

    assert seller.electronic_address == formats.ElectronicAddress("FI1115723500123456")
    assert str(seller.electronic_address) == "FI1115723500123456"
