"""UBL 2.1 documents: Peppol BIS (Billing 3.0, its post-award transactions, BIS 2.0) and EHF.

The root element names the document (Invoice, CreditNote, Order...) and the CustomizationID
names the specification, hence Maventa's format:

- Peppol BIS Billing 3.0 (``urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:
  billing:3.0``, extensions after it included) and Peppol's other BIS 3 transactions
  (``urn:fdc:peppol.eu:poacc:trns:...``): PEPPOLBIS30. Norway's EHF Billing 3.0 *is* Peppol
  BIS Billing 3.0, with the same CustomizationID, so a Norwegian invoice is PEPPOLBIS30 too,
  which is also the format name Maventa takes for it.
- EHF 3.0 post-award documents (``urn:fdc:anskaffelser.no:2019:ehf:...``): EHF30, the profile
  version Maventa names for Norwegian orders, catalogues and despatch advice.
- EHF 2.0 (``urn:www.difi.no:ehf:...``): EHF20; Peppol BIS 2.0 (``...peppol4a:ver2.0``...):
  PEPPOLBIS20. Both read with the same paths, which UBL 2.1 keeps.

Any other CustomizationID (XRechnung, NLCIUS...) is refused as unknown rather than guessed.
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

UBL_NAMESPACE_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

PEPPOL_BILLING_3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_TRANSACTION_3 = "urn:fdc:peppol.eu:poacc:trns:"
EHF_3 = "urn:fdc:anskaffelser.no:2019:ehf"
EHF_2 = "urn:www.difi.no:ehf"
PEPPOL_BIS_2 = ("urn:www.peppol.eu:bis:peppol", "ver2.0")

_KINDS = {
    "Invoice": DocumentKind.INVOICE,
    "CreditNote": DocumentKind.CREDIT_NOTE,
    "Order": DocumentKind.ORDER,
    "OrderChange": DocumentKind.ORDER,
    "OrderCancellation": DocumentKind.ORDER,
    "OrderResponse": DocumentKind.ORDER_RESPONSE,
    "OrderResponseSimple": DocumentKind.ORDER_RESPONSE,
    "DespatchAdvice": DocumentKind.DESPATCH_ADVICE,
    "Catalogue": DocumentKind.CATALOGUE,
    "Reminder": DocumentKind.REMINDER,
}
# Peppol sends three document types as an ApplicationResponse; its CustomizationID tells them.
_RESPONSES = (
    ("invoice_response", DocumentKind.INVOICE_RESPONSE),
    ("mlr", DocumentKind.MESSAGE_LEVEL_RESPONSE),
    ("catalogue_response", DocumentKind.CATALOGUE_RESPONSE),
)


def detect(root: etree._Element) -> DetectedFormat | None:
    qname = etree.QName(root)
    if not (qname.namespace or "").startswith(UBL_NAMESPACE_PREFIX):
        return None
    customization = values.text(root.find("cbc:CustomizationID", NS))
    return DetectedFormat(
        format=_format(customization, qname.localname),
        kind=_kind(qname.localname, customization),
        root=qname.localname,
        customization_id=customization,
        type_code=_text(root, f"cbc:{qname.localname}TypeCode"),
    )


def parse(root: etree._Element, detected: DetectedFormat) -> InvoiceSummary:
    credit = detected.kind is DocumentKind.CREDIT_NOTE
    currency = _required(root, "cbc:DocumentCurrencyCode", "currency")
    summary = InvoiceSummary(
        format=detected.format,
        kind=detected.kind,
        number=_required(root, "cbc:ID", "invoice number"),
        issue_date=values.iso_date(
            _text(root, "cbc:IssueDate"), field="issue date", path="IssueDate"
        ),
        due_date=_due_date(root),
        currency=currency,
        seller=_party(root, "cac:AccountingSupplierParty/cac:Party", "seller"),
        buyer=_party(root, "cac:AccountingCustomerParty/cac:Party", "buyer"),
        lines=tuple(_line(line, credit) for line in root.iterfind(_LINE[credit], NS)),
        vat=tuple(_vat(sub) for sub in _tax_total(root, currency).iterfind("cac:TaxSubtotal", NS)),
        totals=_totals(root, currency),
        payment=_payment(root),
        buyer_reference=_text(root, "cbc:BuyerReference"),
        order_reference=_text(root, "cac:OrderReference/cbc:ID"),
        sales_order_reference=_text(root, "cac:OrderReference/cbc:SalesOrderID"),
    )
    # UBL credit notes state positive amounts (see summary's sign convention).
    return summary.negated() if credit else summary


_LINE = {False: "cac:InvoiceLine", True: "cac:CreditNoteLine"}
_QUANTITY = {False: "cbc:InvoicedQuantity", True: "cbc:CreditedQuantity"}


def _format(customization: str, root_name: str) -> InvoiceFormat:
    if EHF_3 in customization:
        return InvoiceFormat.EHF30
    if EHF_2 in customization:
        return InvoiceFormat.EHF20
    if customization.startswith((PEPPOL_BILLING_3, PEPPOL_TRANSACTION_3)):
        return InvoiceFormat.PEPPOLBIS30
    if all(part in customization for part in PEPPOL_BIS_2):
        return InvoiceFormat.PEPPOLBIS20
    raise errors.UnknownFormat(
        errors.UNKNOWN_UBL.format(root=root_name, customization=customization or "(none)")
    )


def _kind(root_name: str, customization: str) -> DocumentKind:
    if root_name == "ApplicationResponse":
        for marker, kind in _RESPONSES:
            if f":{marker}:" in customization:
                return kind
    return _KINDS.get(root_name, DocumentKind.UNKNOWN)


def _shown_path(path: str, element: etree._Element | None = None) -> str:
    """``path`` without prefixes, from the element's own tag unless that is the root."""
    shown = path.replace("cac:", "").replace("cbc:", "")
    if element is None or element.getparent() is None:
        return shown
    return f"{etree.QName(element).localname}/{shown}"


def _text(element: etree._Element, path: str) -> str:
    return values.text(element.find(path, NS))


def _required(element: etree._Element, path: str, field: str) -> str:
    return values.required(_text(element, path), field=field, path=_shown_path(path))


def _amount(element: etree._Element, path: str, field: str, *, optional: bool = False) -> Decimal:
    raw = _text(element, path)
    if optional and not raw:
        return ZERO
    return values.number(raw, field=field, path=_shown_path(path, element))


def _optional_number(element: etree._Element, path: str, field: str) -> Decimal | None:
    return values.optional_number(
        _text(element, path), field=field, path=_shown_path(path, element)
    )


def _due_date(root: etree._Element) -> datetime.date | None:
    # An Invoice has DueDate; a CreditNote states BT-9 under PaymentMeans.
    for path in ("cbc:DueDate", "cac:PaymentMeans/cbc:PaymentDueDate"):
        if raw := _text(root, path):
            return values.iso_date(raw, field="due date", path=_shown_path(path))
    return None


def _party(root: etree._Element, path: str, field: str) -> Party:
    party = root.find(path, NS)
    if party is None:
        values.missing(field=field, path=_shown_path(path))
    endpoint = party.find("cbc:EndpointID", NS)
    vat_id = ""
    for scheme in party.iterfind("cac:PartyTaxScheme", NS):
        if _text(scheme, "cac:TaxScheme/cbc:ID") == "VAT":
            vat_id = _text(scheme, "cbc:CompanyID")
    return Party(
        name=_text(party, "cac:PartyLegalEntity/cbc:RegistrationName")
        or _text(party, "cac:PartyName/cbc:Name"),
        business_id=_text(party, "cac:PartyLegalEntity/cbc:CompanyID"),
        vat_id=vat_id,
        electronic_address=ElectronicAddress(
            identifier=values.text(endpoint), scheme=endpoint.get("schemeID", "")
        )
        if values.text(endpoint)
        else None,
        address=_address(party.find("cac:PostalAddress", NS)),
    )


def _address(address: etree._Element | None) -> PostalAddress:
    if address is None:
        return PostalAddress()
    lines = [_text(address, "cbc:StreetName"), _text(address, "cbc:AdditionalStreetName")]
    lines += [values.text(line) for line in address.iterfind("cac:AddressLine/cbc:Line", NS)]
    return PostalAddress(
        lines=tuple(line for line in lines if line),
        postal_code=_text(address, "cbc:PostalZone"),
        city=_text(address, "cbc:CityName"),
        country=_text(address, "cac:Country/cbc:IdentificationCode"),
    )


def _line(line: etree._Element, credit: bool) -> Line:
    line_id = _text(line, "cbc:ID")
    field = f"line {line_id or '?'}"
    quantity = line.find(_QUANTITY[credit], NS)
    return Line(
        id=line_id,
        name=_text(line, "cac:Item/cbc:Name"),
        description=_text(line, "cac:Item/cbc:Description"),
        net_amount=_amount(line, "cbc:LineExtensionAmount", f"{field} net amount"),
        quantity=_optional_number(line, _QUANTITY[credit], f"{field} quantity"),
        unit="" if quantity is None else quantity.get("unitCode", ""),
        unit_price=_optional_number(line, "cac:Price/cbc:PriceAmount", f"{field} price"),
        base_quantity=_optional_number(
            line, "cac:Price/cbc:BaseQuantity", f"{field} price base quantity"
        ),
        vat_category=_text(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
        vat_percent=_optional_number(
            line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", f"{field} VAT rate"
        ),
    )


def _tax_total(root: etree._Element, currency: str) -> etree._Element:
    # A second TaxTotal may state the VAT in the accounting currency (BT-111): skip it.
    tax_totals = root.findall("cac:TaxTotal", NS)
    for tax_total in tax_totals:
        amount = tax_total.find("cbc:TaxAmount", NS)
        if amount is not None and amount.get("currencyID", currency) == currency:
            return tax_total
    if not tax_totals:
        values.missing(field="VAT total", path="TaxTotal")
    return tax_totals[0]


def _vat(subtotal: etree._Element) -> VatBreakdown:
    category = _text(subtotal, "cac:TaxCategory/cbc:ID")
    field = f"VAT breakdown {category or '?'}"
    return VatBreakdown(
        category=category,
        percent=_optional_number(subtotal, "cac:TaxCategory/cbc:Percent", f"{field} rate"),
        taxable_amount=_amount(subtotal, "cbc:TaxableAmount", f"{field} taxable amount"),
        tax_amount=_amount(subtotal, "cbc:TaxAmount", f"{field} tax amount"),
    )


def _totals(root: etree._Element, currency: str) -> Totals:
    total = "cac:LegalMonetaryTotal/cbc:"
    return Totals(
        line_extension=_amount(root, total + "LineExtensionAmount", "sum of line net amounts"),
        tax_exclusive=_amount(root, total + "TaxExclusiveAmount", "total without VAT"),
        tax=_amount(_tax_total(root, currency), "cbc:TaxAmount", "VAT total"),
        tax_inclusive=_amount(root, total + "TaxInclusiveAmount", "total with VAT"),
        payable=_amount(root, total + "PayableAmount", "payable amount"),
        allowances=_amount(root, total + "AllowanceTotalAmount", "allowances", optional=True),
        charges=_amount(root, total + "ChargeTotalAmount", "charges", optional=True),
        prepaid=_amount(root, total + "PrepaidAmount", "prepaid amount", optional=True),
        rounding=_amount(root, total + "PayableRoundingAmount", "rounding", optional=True),
    )


def _payment(root: etree._Element) -> Payment:
    for means in root.iterfind("cac:PaymentMeans", NS):
        payment = Payment(
            reference=_text(means, "cbc:PaymentID"),
            account=_text(means, "cac:PayeeFinancialAccount/cbc:ID"),
            bic=_text(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
        )
        if payment != Payment():
            return payment
    return Payment()
