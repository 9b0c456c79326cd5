"""A sample e-invoice made into a new one: another number, dates, sender, recipient and size.

Amounts are multiplied by a whole factor, and line quantities with them, while unit prices
stay: every sum the file states (lines, allowances, VAT breakdown, totals) is then still
consistent, as multiplying by an integer keeps sums exact. What is changed, per format:

- UBL: ``cbc:ID``, dates, PaymentID, the supplier and customer parties, the payee account,
  every element with ``currencyID`` outside ``cac:Price``, the invoiced (credited) quantities;
- Finvoice: InvoiceNumber, dates, the seller and buyer details and addresses, the Epi payment
  details, every element with ``AmountCurrencyIdentifier`` but unit prices, the quantities;
- TEAPPSXML: INVOICE_ID, dates, PAYEE and RECEIVER, every AMOUNT outside PRICE_PER_UNIT,
  the charged quantities.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from .einvoice.safe import parse_xml
from .einvoice.ubl import NS


@dataclass(frozen=True)
class Who:
    name: str
    bid: str
    country: str
    eia: str  # scheme:identifier
    vat: str = ""
    iban: str = ""


@dataclass(frozen=True)
class Changes:
    number: str
    issued: datetime.date
    due: datetime.date
    reference: str
    factor: int
    seller: Who
    buyer: Who


def rewrite(data: bytes, changes: Changes) -> bytes:
    root = parse_xml(data)
    if root.tag == "Finvoice":
        _finvoice(root, changes)
    elif root.tag == "INVOICE_CENTER":
        _teapps(root, changes)
    else:
        _ubl(root, changes)
    encoding = root.getroottree().docinfo.encoding or "UTF-8"
    return etree.tostring(root, xml_declaration=True, encoding=encoding)


def _scaled(text: str, factor: int) -> str:
    raw = text.strip()
    comma = "," in raw
    value = Decimal(raw.replace(",", ".")) * factor
    places = len(raw.replace(",", ".").partition(".")[2])
    quantum = Decimal(1).scaleb(-places)
    shown = str(value.quantize(quantum, rounding=ROUND_HALF_UP))
    return shown.replace(".", ",") if comma else shown


def _set(element: etree._Element | None, value: str, **attributes: str) -> None:
    if element is not None:
        element.text = value
        for name, attribute in attributes.items():
            element.set(name, attribute)


def _scheme_and_id(eia: str) -> tuple[str, str]:
    scheme, _, identifier = eia.rpartition(":")
    return scheme, identifier


def rewrite_order(
    data: bytes, *, number: str, issued: datetime.date, buyer: Who, seller: Who
) -> bytes:
    """A UBL order from ``buyer`` to ``seller``: its ID, date and the two parties."""
    root = parse_xml(data)
    _set(root.find("cbc:ID", NS), number)
    _set(root.find("cbc:IssueDate", NS), issued.isoformat())
    _ubl_party(root.find("cac:BuyerCustomerParty/cac:Party", NS), buyer)
    _ubl_party(root.find("cac:SellerSupplierParty/cac:Party", NS), seller)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# UBL ----------------------------------------------------------------------------------------


def _ubl(root: etree._Element, changes: Changes) -> None:
    _set(root.find("cbc:ID", NS), changes.number)
    _set(root.find("cbc:IssueDate", NS), changes.issued.isoformat())
    for path in ("cbc:DueDate", "cac:PaymentMeans/cbc:PaymentDueDate"):
        _set(root.find(path, NS), changes.due.isoformat())
    for element in root.iterfind("cac:PaymentMeans/cbc:PaymentID", NS):
        _set(element, changes.reference)
    for element in root.iterfind("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", NS):
        _set(element, changes.seller.iban)
    _ubl_party(root.find("cac:AccountingSupplierParty/cac:Party", NS), changes.seller)
    _ubl_party(root.find("cac:AccountingCustomerParty/cac:Party", NS), changes.buyer)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if element.get("currencyID") is not None and not _in_price(element):
            element.text = _scaled(element.text or "0", changes.factor)
        elif name in ("InvoicedQuantity", "CreditedQuantity"):
            element.text = _scaled(element.text or "0", changes.factor)


def _in_price(element: etree._Element) -> bool:
    return any(etree.QName(a).localname == "Price" for a in element.iterancestors())


def _ubl_party(party: etree._Element | None, who: Who) -> None:
    if party is None:
        return
    scheme, identifier = _scheme_and_id(who.eia)
    _set(party.find("cbc:EndpointID", NS), identifier, schemeID=scheme)
    _set(party.find("cac:PartyIdentification/cbc:ID", NS), who.bid)
    _set(party.find("cac:PartyName/cbc:Name", NS), who.name)
    _set(party.find("cac:PartyLegalEntity/cbc:RegistrationName", NS), who.name)
    _set(party.find("cac:PartyLegalEntity/cbc:CompanyID", NS), who.bid)
    _set(party.find("cac:PostalAddress/cac:Country/cbc:IdentificationCode", NS), who.country)
    for tax in party.iterfind("cac:PartyTaxScheme", NS):
        if tax.findtext("cac:TaxScheme/cbc:ID", namespaces=NS) == "VAT" and who.vat:
            _set(tax.find("cbc:CompanyID", NS), who.vat)


# Finvoice -----------------------------------------------------------------------------------

_FINVOICE_QUANTITIES = ("InvoicedQuantity", "DeliveredQuantity", "OrderedQuantity")
_FINVOICE_PRICES = ("UnitPriceAmount", "UnitPriceNetAmount", "UnitPriceVatIncludedAmount")


def _finvoice(root: etree._Element, changes: Changes) -> None:
    compact_issued, compact_due = (d.strftime("%Y%m%d") for d in (changes.issued, changes.due))
    details = root.find("InvoiceDetails")
    _set(details.find("InvoiceNumber"), changes.number)
    _set(details.find("InvoiceDate"), compact_issued)
    _set(details.find("PaymentTermsDetails/InvoiceDueDate"), compact_due)
    epi = "EpiDetails/EpiPaymentInstructionDetails/"
    _set(root.find("EpiDetails/EpiIdentificationDetails/EpiDate"), compact_issued)
    _set(root.find(f"{epi}EpiDateOptionDate"), compact_due)
    _set(root.find(f"{epi}EpiRemittanceInfoIdentifier"), changes.reference)
    _set(root.find(f"{epi}EpiPaymentInstructionId"), changes.number)
    beneficiary = "EpiDetails/EpiPartyDetails/EpiBeneficiaryPartyDetails/"
    _set(root.find(f"{beneficiary}EpiNameAddressDetails"), changes.seller.name)
    _set(root.find(f"{beneficiary}EpiBei"), changes.seller.bid)
    _set(root.find(f"{beneficiary}EpiAccountID"), changes.seller.iban)
    _set(
        root.find("SellerInformationDetails/SellerAccountDetails/SellerAccountID"),
        changes.seller.iban,
    )
    _finvoice_party(root, "Seller", "MessageSenderDetails/FromIdentifier", changes.seller)
    _finvoice_party(root, "Buyer", "MessageReceiverDetails/ToIdentifier", changes.buyer)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        amount = element.get("AmountCurrencyIdentifier") is not None
        if (amount and element.tag not in _FINVOICE_PRICES) or element.tag in _FINVOICE_QUANTITIES:
            element.text = _scaled(element.text or "0", changes.factor)


def _finvoice_party(root: etree._Element, role: str, transmission: str, who: Who) -> None:
    _, identifier = _scheme_and_id(who.eia)
    details = root.find(f"{role}PartyDetails")
    if details is not None:
        _set(details.find(f"{role}PartyIdentifier"), who.bid)
        _set(details.find(f"{role}OrganisationName"), who.name)
        if who.vat:
            _set(details.find(f"{role}OrganisationTaxCode"), who.vat)
        _set(details.find(f"{role}PostalAddressDetails/CountryCode"), who.country)
    _set(root.find(f"{role}OrganisationUnitNumber"), identifier)
    _set(root.find(f"MessageTransmissionDetails/{transmission}"), identifier)


# TEAPPSXML ----------------------------------------------------------------------------------


def _teapps(root: etree._Element, changes: Changes) -> None:
    invoice = root.find("CONTENT_FRAME/INVOICES/INVOICE")
    header = invoice.find("HEADER")
    _set(header.find("INVOICE_ID"), changes.number)
    _teapps_date(header.find("INVOICE_DATE/DATE"), changes.issued)
    _teapps_date(header.find("DUE_DATE/DATE"), changes.due)
    _set(invoice.find("PAYEE/DETAILS_OF_PAYMENT/FI_PAYMENT_REFERENCE"), changes.reference)
    _set(invoice.find("PAYEE/BANKS/IBAN_ACCOUNT_NUMBER"), changes.seller.iban)
    _teapps_party(invoice.find("PAYEE"), changes.seller)
    _teapps_party(invoice.find("RECEIVER"), changes.buyer)
    for element in root.iter("AMOUNT", "CHARGED"):
        if not any(a.tag == "PRICE_PER_UNIT" for a in element.iterancestors()):
            element.text = _scaled(element.text or "0", changes.factor)


def _teapps_date(date: etree._Element | None, day: datetime.date) -> None:
    if date is None:
        return
    _set(date.find("DAY"), f"{day.day:02d}")
    _set(date.find("MONTH"), f"{day.month:02d}")
    _set(date.find("CENTURY"), f"{day.year // 100:02d}")
    _set(date.find("DECADE_AND_YEAR"), f"{day.year % 100:02d}")


def _teapps_party(party: etree._Element | None, who: Who) -> None:
    if party is None:
        return
    info = "CUSTOMER_INFORMATION/"
    _set(party.find(f"{info}CUSTOMER_NAME"), who.name)
    if who.vat:
        _set(party.find(f"{info}VAT_NUMBER"), who.vat)
    _set(party.find(f"{info}ORGANIZATION_NUMBER"), who.bid)
    _set(party.find(f"{info}ADDRESS/COUNTRY_CODE"), who.country)
    _set(party.find("NET_SERVICE_ID"), _scheme_and_id(who.eia)[1])
