"""TEAPPSXML (Tieto's invoice format; Maventa's TEAPPS27 and TEAPPS30), best effort.

Tieto publishes TEAPPSXML as an annotated element template ("TEAPPSXML-description version
3.0 - INVOICES"), not an open specification; this reader follows the template's comments,
which map many fields to EN 16931 terms:

- ``INVOICE_CENTER/CONTENT_FRAME/BLOCK_RULES/FORMAT_VERSION`` gives the version ("3.0", or
  "2.7..."); a file without one is read as 3.0, the version that template describes.
- A content frame may batch several ``INVOICES/INVOICE``; the portal reads one invoice a file.
- ``HEADER/INVOICE_TYPE``: 00 invoice, 01 credit note and so on, or its ``UNTDID_CODE``.
- ``PAYEE`` is the seller, ``RECEIVER`` the buyer; ``ROWS/ROW`` the lines (rows typed
  SPECIFICATION, SUBTOTAL or INFO only explain a main row and are skipped).
- An amount is ``<AMOUNT SIGN="-" VAT="EXCLUDED">12,50</AMOUNT>``: the sign in an attribute,
  VAT included or excluded in another; the decimal separator may be a comma or a dot.
- ``SUMMARY/INVOICE_TOTAL`` is the amount to pay (BT-115). A file without
  ``HEADER/CURRENCY/CODE`` is read as EUR: an assumption, for a format of the Finnish market.

Not read: partial payments, cash discounts, row allowances and charges, the Finvoice-style
EpiDetails a TEAPPSXML invoice may also carry, the transport and archiving frames.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from lxml import etree

from exchange.formats import errors, values
from exchange.formats.summary import (
    ZERO,
    DetectedFormat,
    DocumentKind,
    ElectronicAddress,
    InvoiceFormat,
    InvoiceSummary,
    Line,
    Party,
    Payment,
    PostalAddress,
    Totals,
    VatBreakdown,
)

_INVOICES = "CONTENT_FRAME/INVOICES/INVOICE"
# INVOICE_TYPE codes as the template lists them; the others (advance notices, receipts, travel
# plans) are neither invoices nor documents Maventa has a type for.
_TYPE_CODES = {
    **dict.fromkeys(("00", "02", "03", "06", "09", "20", "91", "99"), DocumentKind.INVOICE),
    **dict.fromkeys(("01", "04", "05", "07", "60"), DocumentKind.CREDIT_NOTE),
    "50": DocumentKind.ORDER,
    "51": DocumentKind.ORDER_RESPONSE,
}
_UNTDID_CREDIT_NOTES = {"81", "83", "381", "396", "532"}
_SKIPPED_ROWS = {"SPECIFICATION", "SUBTOTAL", "INFO"}


def detect(root: etree._Element) -> DetectedFormat | None:
    if root.tag != "INVOICE_CENTER":  # no namespace in TEAPPSXML
        return None
    version = values.text(root.find("CONTENT_FRAME/BLOCK_RULES/FORMAT_VERSION"))
    if version.startswith("2.7"):
        file_format = InvoiceFormat.TEAPPS27
    elif version in ("", "3", "3.0") or version.startswith("3.0."):
        file_format = InvoiceFormat.TEAPPS30
    else:
        raise errors.UnknownFormat(errors.UNKNOWN_VERSION.format(name="TEAPPSXML", version=version))
    invoice = root.find(_INVOICES)
    type_code, kind = _kind(None if invoice is None else invoice.find("HEADER/INVOICE_TYPE"))
    return DetectedFormat(
        format=file_format, kind=kind, root="INVOICE_CENTER", version=version, type_code=type_code
    )


def parse(root: etree._Element, detected: DetectedFormat) -> InvoiceSummary:
    invoices = root.findall(_INVOICES)
    if len(invoices) != 1:
        if not invoices:
            values.missing(field="invoice", path=_INVOICES)
        raise errors.InvalidValue(
            errors.SEVERAL_INVOICES.format(count=len(invoices)), field="invoice", path=_INVOICES
        )
    invoice = invoices[0]
    header = _element(invoice, "HEADER")
    lines = _lines(invoice)
    summary = InvoiceSummary(
        format=detected.format,
        kind=detected.kind,
        number=values.required(
            _text(header, "INVOICE_ID"), field="invoice number", path="HEADER/INVOICE_ID"
        ),
        issue_date=_date(header, "INVOICE_DATE", "issue date", required=True),
        due_date=_date(header, "DUE_DATE", "due date"),
        currency=_text(header, "CURRENCY/CODE") or "EUR",
        seller=_party(invoice, "PAYEE"),
        buyer=_party(invoice, "RECEIVER"),
        lines=lines,
        vat=tuple(_vat(vat) for vat in invoice.iterfind("SUMMARY/VAT_SUMMARY")),
        totals=_totals(_element(invoice, "SUMMARY"), lines),
        payment=_payment(invoice),
        buyer_reference=_order_text(header, "CO", "ORDER_REFERENCE")
        or _text(header, "BUYER_REFERENCE"),
        order_reference=_order_text(header, "CO", "ORDER_NUMBER")
        or _text(header, "INVOICE_ORDER_NUMBER"),
        sales_order_reference=_order_text(header, "VN", "ORDER_NUMBER"),
    )
    # Credit notes carry SIGN="-"; one written with a positive total is corrected.
    if detected.kind is DocumentKind.CREDIT_NOTE and summary.totals.tax_inclusive > 0:
        return summary.negated()
    return summary


def _kind(invoice_type: etree._Element | None) -> tuple[str, DocumentKind]:
    code = values.text(invoice_type)
    untdid = "" if invoice_type is None else invoice_type.get("UNTDID_CODE", "").strip()
    if untdid:
        credit = untdid in _UNTDID_CREDIT_NOTES
        return untdid, DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE
    if not code:
        return code, DocumentKind.INVOICE
    return code, _TYPE_CODES.get(code, DocumentKind.UNKNOWN)


def _text(element: etree._Element, path: str) -> str:
    return values.text(element.find(path))


def _element(parent: etree._Element, path: str) -> etree._Element:
    found = parent.find(path)
    if found is None:
        values.missing(field=path.lower().replace("_", " "), path=f"INVOICE/{path}")
    return found


def _amount(
    parent: etree._Element, path: str, field: str, vat: str = "", *, unmarked: bool = True
) -> Decimal | None:
    """The signed AMOUNT under ``path`` whose VAT attribute is ``vat``.

    ``unmarked``: an AMOUNT without a VAT attribute will do when none has ``vat``.
    """
    amounts = parent.findall(f"{path}/AMOUNT")
    chosen = [a for a in amounts if not vat or a.get("VAT", "").upper() == vat]
    chosen = chosen or [a for a in amounts if unmarked and not a.get("VAT")]
    if not chosen or not values.text(chosen[0]):
        return None
    value = values.number(
        values.text(chosen[0]), field=field, path=f"{parent.tag}/{path}/AMOUNT", comma=True
    )
    return _signed(value, chosen[0])


def _signed(value: Decimal, element: etree._Element) -> Decimal:
    return ZERO - value if element.get("SIGN", "").strip() == "-" else value


def _date(
    parent: etree._Element, path: str, field: str, *, required: bool = False
) -> datetime.date | None:
    date = parent.find(f"{path}/DATE")
    if date is None or not _text(date, "DAY"):
        if required:
            values.missing(field=field, path=f"{parent.tag}/{path}/DATE")
        return None
    decade = _text(date, "DECADE_AND_YEAR")
    year = decade if len(decade) == 4 else _text(date, "CENTURY") + decade.zfill(2)
    return values.date_of(
        year, _text(date, "MONTH"), _text(date, "DAY"), field=field, path=f"{path}/DATE"
    )


def _party(invoice: etree._Element, role: str) -> Party:
    party = _element(invoice, role)
    info = _element(party, "CUSTOMER_INFORMATION")
    address = info.find("ADDRESS")
    identifier = _text(party, "NET_SERVICE_ID")
    scheme = values.address_scheme(identifier, _text(party, "EADDRESS_SCHEME_ID_CODE"))
    return Party(
        name=_text(info, "CUSTOMER_NAME"),
        business_id=_text(info, "ORGANIZATION_NUMBER"),
        vat_id=_text(info, "VAT_NUMBER"),
        electronic_address=ElectronicAddress(identifier, scheme) if identifier else None,
        address=PostalAddress()
        if address is None
        else PostalAddress(
            lines=tuple(
                line for n in range(1, 5) if (line := _text(address, f"STREET_ADDRESS{n}"))
            ),
            postal_code=_text(address, "POSTAL_CODE"),
            city=_text(address, "POST_OFFICE"),
            country=_text(address, "COUNTRY_CODE"),
        ),
    )


def _lines(invoice: etree._Element) -> tuple[Line, ...]:
    rows = [
        row
        for row in invoice.iterfind("ROWS/ROW")
        if row.get("ROW_TYPE", "").upper() not in _SKIPPED_ROWS
        and row.find("ROW_TOTAL") is not None
    ]
    return tuple(_line(row, index) for index, row in enumerate(rows, start=1))


def _line(row: etree._Element, index: int) -> Line:
    line_id = _text(row, "ROW_NUMBER") or row.get("ROW_ID", "") or str(index)
    field = f"line {line_id}"
    net = _amount(row, "ROW_TOTAL", f"{field} net amount", vat="EXCLUDED")
    if net is None:
        values.missing(field=f"{field} net amount", path="ROW/ROW_TOTAL/AMOUNT")
    quantity, unit = _quantity(row, field)
    price = row.find("PRICE_PER_UNIT")
    vat = row.find("VAT")
    return Line(
        id=line_id,
        name=_text(row, "ARTICLE/ARTICLE_NAME"),
        description=_text(row, "FREE_TEXT"),
        net_amount=net,
        quantity=quantity,
        unit=unit,
        unit_price=_price(row, field),
        base_quantity=values.optional_number(
            "" if price is None else price.get("PR_QTY", "").strip(),
            field=f"{field} price base quantity",
            path="ROW/PRICE_PER_UNIT/@PR_QTY",
            comma=True,
        ),
        vat_category="" if vat is None else vat.get("VAT_TYPE", ""),
        vat_percent=values.optional_number(
            _text(row, "VAT/RATE"), field=f"{field} VAT rate", path="ROW/VAT/RATE", comma=True
        ),
    )


def _quantity(row: etree._Element, field: str) -> tuple[Decimal | None, str]:
    """The invoiced quantity (QUANTITY/CHARGED, signed) and its unit, UN/ECE code first."""
    charged = row.find("QUANTITY/CHARGED")
    if charged is None:
        return None, _text(row, "UNIT")
    quantity = values.optional_number(
        values.text(charged), field=f"{field} quantity", path="ROW/QUANTITY/CHARGED", comma=True
    )
    unit = charged.get("Q_UNIT_UNECE_CODE") or charged.get("Q_UNIT") or _text(row, "UNIT")
    return (None if quantity is None else _signed(quantity, charged)), unit


def _price(row: etree._Element, field: str) -> Decimal | None:
    # The net price (BT-146) when the row states it, else the price before discounts.
    for path in ("PRICE_PER_UNIT_NET", "PRICE_PER_UNIT"):
        price = _amount(row, path, f"{field} price", vat="EXCLUDED")
        if price is not None:
            return price
    return None


def _vat(summary: etree._Element) -> VatBreakdown:
    category = summary.get("VAT_TYPE", "")
    field = f"VAT breakdown {category or _text(summary, 'RATE') or '?'}"
    return VatBreakdown(
        category=category,
        percent=values.optional_number(
            _text(summary, "RATE"), field=f"{field} rate", path="VAT_SUMMARY/RATE", comma=True
        ),
        taxable_amount=_amount(summary, "ACCORDING", f"{field} taxable amount") or ZERO,
        tax_amount=_amount(summary, "VAT_RATE_TOTAL", f"{field} tax amount") or ZERO,
    )


def _totals(summary: etree._Element, lines: tuple[Line, ...]) -> Totals:
    payable = _amount(summary, "INVOICE_TOTAL", "invoice total", vat="INCLUDED")
    if payable is None:
        values.missing(field="invoice total", path="SUMMARY/INVOICE_TOTAL/AMOUNT")
    tax = _amount(summary, "VAT_TOTAL", "VAT total")
    if tax is None:
        tax = sum((v.tax_amount for v in map(_vat, summary.iterfind("VAT_SUMMARY"))), ZERO)
    prepaid = _amount(summary, "ADVANCE_PAYMENT", "advance payment") or ZERO
    rounding = values.optional_number(
        _text(summary, "ROUNDINGS"), field="rounding", path="SUMMARY/ROUNDINGS", comma=True
    )
    rounding = rounding or ZERO
    before_advance = "INVOICE_TOTAL_WITHOUT_ADVANCE_PAYMENT"
    tax_inclusive = _amount(summary, before_advance, "total with VAT", vat="INCLUDED")
    tax_inclusive = payable + prepaid - rounding if tax_inclusive is None else tax_inclusive
    # Only an AMOUNT marked EXCLUDED is a total without VAT; an unmarked one is the total due.
    tax_exclusive = _amount(
        summary, before_advance, "total without VAT", vat="EXCLUDED", unmarked=False
    )
    if tax_exclusive is None:
        tax_exclusive = _amount(
            summary, "INVOICE_TOTAL", "total without VAT", vat="EXCLUDED", unmarked=False
        )
    rows_total = _amount(summary, "ROWS_TOTAL", "sum of rows", vat="EXCLUDED")
    return Totals(
        line_extension=sum((line.net_amount for line in lines), ZERO)
        if rows_total is None
        else rows_total,
        tax_exclusive=tax_inclusive - tax if tax_exclusive is None else tax_exclusive,
        tax=tax,
        tax_inclusive=tax_inclusive,
        payable=payable,
        allowances=_amount(summary, "DISCOUNTS_TOTAL", "discounts") or ZERO,
        charges=_amount(summary, "CHARGES_TOTAL", "charges") or ZERO,
        prepaid=prepaid,
        rounding=rounding,
    )


def _payment(invoice: etree._Element) -> Payment:
    payee = _element(invoice, "PAYEE")
    return Payment(
        reference=_text(payee, "DETAILS_OF_PAYMENT/FI_PAYMENT_REFERENCE")
        or _text(payee, "DETAILS_OF_PAYMENT/IPI_REFERENCE"),
        account=_text(payee, "BANKS/IBAN_ACCOUNT_NUMBER")
        or _text(payee, "BANKS/BANK_ACCOUNT_NUMBER"),
        bic=_text(payee, "BANKS/SWIFT_CODE"),
    )


def _order_text(header: etree._Element, order_type: str, name: str) -> str:
    """From ORDER_INFORMATION of ``order_type``: CO the buyer's order, VN the seller's.

    An ORDER_INFORMATION without a type is taken as the buyer's, the usual case.
    """
    accepted = (order_type, "") if order_type == "CO" else (order_type,)
    for order in header.iterfind("ORDER_INFORMATION"):
        if order.get("ORDER_TYPE", "").upper() in accepted and (value := _text(order, name)):
            return value
    return ""
