"""TEAPPSXML 3.0 (best effort): our sample to its numbers, signs, versions and batches."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from exchange import formats
from exchange.formats import DocumentKind, InvoiceFormat, errors
from tests.exchange.formats.samples import our_sample

SAMPLE = "teappsxml30-invoice.xml"


def test_invoice_in_iso_8859_1():
    summary = formats.parse(our_sample(SAMPLE))

    assert summary.format == InvoiceFormat.TEAPPS30 == "TEAPPS30"
    assert summary.kind is DocumentKind.INVOICE
    assert (summary.number, summary.currency) == ("5518", "EUR")
    assert summary.issue_date == datetime.date(2025, 3, 18)
    assert summary.due_date == datetime.date(2025, 4, 1)
    assert summary.seller.name == "Sähköasennus Nieminen Oy"
    assert (summary.seller.business_id, summary.seller.vat_id) == ("1572860-0", "FI15728600")
    assert str(summary.seller.electronic_address) == "0037:003715728600"
    assert summary.buyer.name == "Kiinteistö Oy Satamakatu 3"
    assert summary.buyer.address.lines == ("c/o Isännöinti Laine Oy", "Satamakatu 3")
    # No EADDRESS_SCHEME_ID_CODE for the buyer: an OVT code is 0037.
    assert str(summary.buyer.electronic_address) == "0037:003724681357"
    assert summary.buyer_reference == "Satamakatu 3, valaistus"
    assert summary.order_reference == "HUOLTO-2025-12"
    assert summary.payment.reference == "20250318014"
    assert (summary.payment.account, summary.payment.bic) == ("FI1080001234567890", "NDEAFIHH")
    # The SPECIFICATION row details row 2 and is not a line of its own.
    assert len(summary.lines) == 2
    first, second = summary.lines
    assert (first.id, first.name, first.unit) == ("1", "Sähköasennustyö", "HUR")
    assert (first.quantity, first.unit_price, first.net_amount) == (
        Decimal("6"),
        Decimal("68.00"),
        Decimal("408.00"),
    )
    assert (first.vat_category, first.vat_percent) == ("S", Decimal("25.5"))
    assert second.description == "LED-valaisimet 6 kpl, kiinnikkeet"
    totals = summary.totals
    assert totals.line_extension == totals.tax_exclusive == Decimal("545.50")
    assert totals.tax == Decimal("139.10")
    assert totals.tax_inclusive == totals.payable == Decimal("684.60")
    (vat,) = summary.vat
    assert (vat.category, vat.percent, vat.taxable_amount, vat.tax_amount) == (
        "S",
        Decimal("25.5"),
        Decimal("545.50"),
        Decimal("139.10"),
    )


def test_credit_note_takes_its_sign_from_the_sign_attributes():
    data = (
        our_sample(SAMPLE)
        .replace(b'<INVOICE_TYPE UNTDID_CODE="380">00<', b"<INVOICE_TYPE>01<")
        .replace(b'SIGN="+"', b'SIGN="-"')
    )

    summary = formats.parse(data)

    assert summary.kind is DocumentKind.CREDIT_NOTE
    assert summary.totals.payable == Decimal("-684.60")
    assert summary.totals.tax == Decimal("-139.10")
    assert summary.lines[0].quantity == Decimal("-6")
    assert summary.lines[0].unit_price == Decimal("-68.00")
    assert summary.lines[0].net_amount == Decimal("-408.00")


def test_credit_note_written_without_minus_signs_is_negated():
    data = our_sample(SAMPLE).replace(b'UNTDID_CODE="380"', b'UNTDID_CODE="381"')

    summary = formats.parse(data)

    assert summary.kind is DocumentKind.CREDIT_NOTE
    assert summary.totals.payable == Decimal("-684.60")
    assert summary.vat[0].tax_amount == Decimal("-139.10")


def test_version_2_7_is_teapps27():
    data = our_sample(SAMPLE).replace(b">3.0</FORMAT_VERSION>", b">2.7.2</FORMAT_VERSION>")

    assert formats.detect(data).format == "TEAPPS27"


def test_an_order_is_not_an_invoice():
    data = our_sample(SAMPLE).replace(b'<INVOICE_TYPE UNTDID_CODE="380">00<', b"<INVOICE_TYPE>50<")

    with pytest.raises(formats.NotAnInvoice) as refused:
        formats.parse(data)

    assert refused.value.detected.kind is DocumentKind.ORDER


def test_an_unknown_type_code_is_not_an_invoice():
    data = our_sample(SAMPLE).replace(b'<INVOICE_TYPE UNTDID_CODE="380">00<', b"<INVOICE_TYPE>90<")

    with pytest.raises(formats.NotAnInvoice) as refused:
        formats.parse(data)

    assert refused.value.staff_message == errors.UNKNOWN_KIND.format(
        format="TEAPPSXML 3.0", code="90"
    )


def test_a_batch_of_several_invoices_is_refused():
    data = our_sample(SAMPLE)
    start, end = data.index(b"<INVOICE>"), data.index(b"</INVOICES>")
    batch = data[:end] + data[start:end] + data[end:]

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(batch)

    assert refused.value.staff_message == errors.SEVERAL_INVOICES.format(count=2)


def test_malformed_date_part_is_refused_naming_the_field():
    data = our_sample(SAMPLE).replace(b"<DAY>18</DAY>", b"<DAY>32</DAY>")

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(data)

    assert refused.value.field == "issue date"
    assert '"2025-03-32"' in refused.value.staff_message


def test_malformed_amount_is_refused_naming_the_field():
    data = our_sample(SAMPLE).replace(
        b">684,60</AMOUNT>\n            <AMOUNT", b">6 84,60</AMOUNT><AMOUNT"
    )

    with pytest.raises(formats.InvalidValue) as refused:
        formats.parse(data)

    assert (refused.value.field, refused.value.path) == (
        "invoice total",
        "SUMMARY/INVOICE_TOTAL/AMOUNT",
    )
