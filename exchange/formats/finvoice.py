"""Finvoice (Finance Finland's format; Maventa's FINVOICE13, FINVOICE20, FINVOICE30).

A Finvoice file has the root ``<Finvoice Version="3.0">`` and no namespace. Its amounts use a
decimal comma and a leading minus; its dates are CCYYMMDD. The elements read here keep their
names from 1.3 to 3.0, so the three versions share this reader (older files lack some, such
as the VAT category codes). ``InvoiceTypeCode`` tells an invoice (INV01...) from a credit note
(INV02) or from the other messages Finvoice carries (orders, delivery notes...).

Totals follow the EN 16931 mapping of Finvoice 3.0: InvoiceTotalVatIncludedAmount is the total
with VAT (BT-112), InvoiceTotalRoundoffAmount the rounding (BT-114), InvoicePaidAmount the
prepaid amount (BT-113), and EpiInstructedAmount the amount to pay (BT-115). What a file
leaves out is derived from the rest (see ``_totals``).
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

_VERSIONS = {
    "3.0": InvoiceFormat.FINVOICE30,
    "2.01": InvoiceFormat.FINVOICE20,
    "2.0": InvoiceFormat.FINVOICE20,
    "1.3": InvoiceFormat.FINVOICE13,
}
# InvoiceTypeCode is three letters and two digits; the letters name the message. Codes not
# listed (quotations, price lists, test messages...) are neither invoices nor documents we name.
_KINDS = {
    "INV": DocumentKind.INVOICE,
    "ORD": DocumentKind.ORDER,
    "ORC": DocumentKind.ORDER_RESPONSE,
    "DEV": DocumentKind.DESPATCH_ADVICE,
}
CREDIT_NOTE_CODE = "INV02"
_EPI = "EpiDetails/EpiPartyDetails/"


def detect(root: etree._Element) -> DetectedFormat | None:
    # Finvoice's schemas have no namespace; a namespaced <Finvoice> is something else.
    if root.tag != "Finvoice":
        return None
    version = root.get("Version", "").strip()
    if version not in _VERSIONS:
        raise errors.UnknownFormat(
            errors.UNKNOWN_VERSION.format(name="Finvoice", version=version or "(none)")
        )
    return DetectedFormat(
        format=_VERSIONS[version],
        kind=_kind(root),
        root="Finvoice",
        version=version,
        type_code=_text(root, "InvoiceDetails/InvoiceTypeCode"),
    )


def parse(root: etree._Element, detected: DetectedFormat) -> InvoiceSummary:
    details = root.find("InvoiceDetails")
    if details is None:
        values.missing(field="invoice details", path="InvoiceDetails")
    total = details.find("InvoiceTotalVatIncludedAmount")
    currency = "" if total is None else total.get("AmountCurrencyIdentifier", "")
    lines = _lines(root)
    summary = InvoiceSummary(
        format=detected.format,
        kind=detected.kind,
        number=_required(details, "InvoiceNumber", "invoice number"),
        issue_date=_date(details, "InvoiceDate", "issue date"),
        due_date=_due_date(root, details),
        currency=values.required(
            currency,
            field="currency",
            path="InvoiceTotalVatIncludedAmount/@AmountCurrencyIdentifier",
        ),
        seller=_party(root, "Seller", "MessageSenderDetails/FromIdentifier"),
        buyer=_party(root, "Buyer", "MessageReceiverDetails/ToIdentifier"),
        lines=lines,
        vat=tuple(_vat(spec) for spec in details.iterfind("VatSpecificationDetails")),
        totals=_totals(root, details, lines),
        payment=_payment(root),
        buyer_reference=_text(details, "BuyerReferenceIdentifier"),
        order_reference=_text(details, "OrderIdentifier"),
    )
    # Finvoice credit notes carry minus signs; a sender who wrote them positive is corrected.
    if detected.kind is DocumentKind.CREDIT_NOTE and summary.totals.tax_inclusive > 0:
        return summary.negated()
    return summary


def _kind(root: etree._Element) -> DocumentKind:
    code = values.text(root.find("InvoiceDetails/InvoiceTypeCode")).upper()
    if not code:
        return DocumentKind.INVOICE  # The code is mandatory; a file without is read as invoice.
    if code == CREDIT_NOTE_CODE:
        return DocumentKind.CREDIT_NOTE
    return _KINDS.get(code[:3], DocumentKind.UNKNOWN)


def _text(element: etree._Element, path: str) -> str:
    return values.text(element.find(path))


def _texts(element: etree._Element, path: str) -> list[str]:
    return [text for found in element.iterfind(path) if (text := values.text(found))]


def _required(element: etree._Element, path: str, field: str) -> str:
    return values.required(_text(element, path), field=field, path=f"InvoiceDetails/{path}")


def _amount(element: etree._Element, path: str, field: str) -> Decimal | None:
    """An optional amount of a row or a VAT specification, named by the element's tag."""
    return values.optional_number(
        _text(element, path), field=field, path=f"{element.tag}/{path}", comma=True
    )


def _date(details: etree._Element, path: str, field: str) -> datetime.date:
    return values.compact_date(_text(details, path), field=field, path=f"InvoiceDetails/{path}")


def _due_date(root: etree._Element, details: etree._Element) -> datetime.date | None:
    if _text(details, "PaymentTermsDetails/InvoiceDueDate"):
        return _date(details, "PaymentTermsDetails/InvoiceDueDate", "due date")
    path = "EpiDetails/EpiPaymentInstructionDetails/EpiDateOptionDate"
    raw = _text(root, path)
    return values.compact_date(raw, field="due date", path=path) if raw else None


def _party(root: etree._Element, role: str, transmission_path: str) -> Party:
    """``role`` is "Seller" or "Buyer", the prefix of every element of the party."""
    details = root.find(f"{role}PartyDetails")
    if details is None:
        values.missing(field=role.lower(), path=f"{role}PartyDetails")
    address = details.find(f"{role}PostalAddressDetails")
    return Party(
        name=" ".join(_texts(details, f"{role}OrganisationName")),
        business_id=_text(details, f"{role}PartyIdentifier"),
        vat_id=_text(details, f"{role}OrganisationTaxCode"),
        electronic_address=_address_of(
            root.find(f"{role}OrganisationUnitNumber"),
            root.find(f"MessageTransmissionDetails/{transmission_path}"),
        ),
        address=PostalAddress()
        if address is None
        else PostalAddress(
            lines=tuple(_texts(address, f"{role}StreetName")),
            postal_code=_text(address, f"{role}PostCodeIdentifier"),
            city=_text(address, f"{role}TownName"),
            country=_text(address, "CountryCode"),
        ),
    )


def _address_of(*candidates: etree._Element | None) -> ElectronicAddress | None:
    """The party's OVT code, else the transmission address (which may be an IBAN)."""
    for element in candidates:
        if identifier := values.text(element):
            scheme = values.address_scheme(identifier, element.get("SchemeID", ""))
            return ElectronicAddress(identifier=identifier, scheme=scheme)
    return None


def _lines(root: etree._Element) -> tuple[Line, ...]:
    # Rows with no quantity and no amount are text rows (notes under a line): not lines.
    rows = [row for row in root.iterfind("InvoiceRow") if _has_amounts(row)]
    return tuple(_line(row, index) for index, row in enumerate(rows, start=1))


def _has_amounts(row: etree._Element) -> bool:
    return any(
        _text(row, name)
        for name in ("RowVatExcludedAmount", "RowAmount", "UnitPriceAmount", "InvoicedQuantity")
    )


def _line(row: etree._Element, index: int) -> Line:
    line_id = _text(row, "RowPositionIdentifier") or str(index)
    field = f"line {line_id}"
    quantity = row.find("InvoicedQuantity")
    if quantity is None:
        quantity = row.find("DeliveredQuantity")
    return Line(
        id=line_id,
        name=_text(row, "ArticleName"),
        description=_text(row, "ArticleDescription") or " ".join(_texts(row, "RowFreeText")),
        net_amount=_row_net(row, field),
        quantity=values.optional_number(
            values.text(quantity),
            field=f"{field} quantity",
            path="InvoiceRow/InvoicedQuantity",
            comma=True,
        ),
        unit=""
        if quantity is None
        else quantity.get("QuantityUnitCodeUN") or quantity.get("QuantityUnitCode", ""),
        unit_price=_amount(row, "UnitPriceNetAmount", f"{field} price")
        if _text(row, "UnitPriceNetAmount")
        else _amount(row, "UnitPriceAmount", f"{field} price"),
        base_quantity=_amount(row, "UnitPriceBaseQuantity", f"{field} price base quantity"),
        vat_category=_text(row, "RowVatCode"),
        vat_percent=_amount(row, "RowVatRatePercent", f"{field} VAT rate"),
    )


def _row_net(row: etree._Element, field: str) -> Decimal:
    net = _amount(row, "RowVatExcludedAmount", f"{field} net amount")
    if net is not None:
        return net
    gross = _amount(row, "RowAmount", f"{field} amount")
    if gross is None:
        values.missing(field=f"{field} net amount", path="InvoiceRow/RowVatExcludedAmount")
    return gross - (_amount(row, "RowVatAmount", f"{field} VAT amount") or ZERO)


def _vat(spec: etree._Element) -> VatBreakdown:
    category = _text(spec, "VatCode")
    field = f"VAT breakdown {category or _text(spec, 'VatRatePercent') or '?'}"
    return VatBreakdown(
        category=category,
        percent=_amount(spec, "VatRatePercent", f"{field} rate"),
        taxable_amount=_amount(spec, "VatBaseAmount", f"{field} taxable amount") or ZERO,
        tax_amount=_amount(spec, "VatRateAmount", f"{field} tax amount") or ZERO,
    )


def _totals(root: etree._Element, details: etree._Element, lines: tuple[Line, ...]) -> Totals:
    def amount(path: str, field: str) -> Decimal | None:
        return values.optional_number(
            _text(details, path), field=field, path=f"InvoiceDetails/{path}", comma=True
        )

    tax_inclusive = values.number(
        _text(details, "InvoiceTotalVatIncludedAmount"),
        field="total with VAT",
        path="InvoiceDetails/InvoiceTotalVatIncludedAmount",
        comma=True,
    )
    tax = amount("InvoiceTotalVatAmount", "VAT total")
    if tax is None:
        tax = sum(
            (v.tax_amount for v in map(_vat, details.iterfind("VatSpecificationDetails"))), ZERO
        )
    prepaid = amount("InvoicePaidAmount", "paid amount") or ZERO
    rounding = amount("InvoiceTotalRoundoffAmount", "rounding") or ZERO
    payable_path = "EpiDetails/EpiPaymentInstructionDetails/EpiInstructedAmount"
    payable = values.optional_number(
        _text(root, payable_path), field="payable amount", path=payable_path, comma=True
    )
    tax_exclusive = amount("InvoiceTotalVatExcludedAmount", "total without VAT")
    rows_total = amount("RowsTotalVatExcludedAmount", "sum of row amounts")
    return Totals(
        line_extension=sum((line.net_amount for line in lines), ZERO)
        if rows_total is None
        else rows_total,
        tax_exclusive=tax_inclusive - tax if tax_exclusive is None else tax_exclusive,
        tax=tax,
        tax_inclusive=tax_inclusive,
        payable=tax_inclusive - prepaid + rounding if payable is None else payable,
        allowances=amount("DiscountsTotalVatExcludedAmount", "discounts") or ZERO,
        charges=amount("ChargesTotalVatExcludedAmount", "charges") or ZERO,
        prepaid=prepaid,
        rounding=rounding,
    )


def _payment(root: etree._Element) -> Payment:
    seller_account = "SellerInformationDetails/SellerAccountDetails/"
    return Payment(
        reference=_text(
            root, "EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier"
        ),
        account=_text(root, _EPI + "EpiBeneficiaryPartyDetails/EpiAccountID")
        or _text(root, seller_account + "SellerAccountID"),
        bic=_text(root, _EPI + "EpiBfiPartyDetails/EpiBfiIdentifier")
        or _text(root, seller_account + "SellerBic"),
    )
