"""UBL 2.1 documents: Peppol BIS 3.0 (EHF Billing 3.0 is the same), EHF, Peppol BIS 2.0.

The root element names the document and the CustomizationID the specification, hence
Maventa's format name (FIELDS.md section 5 ``format``): Peppol BIS Billing 3.0 and Peppol's
other BIS 3 transactions are PEPPOLBIS30, EHF 3.0 post-award documents EHF30, EHF 2.0 EHF20,
BIS 2.0 PEPPOLBIS20. Any other CustomizationID reads as an unnamed UBL format ("").
"""

from lxml import etree

from . import values
from .model import Detected, DocumentInfo, EInvoice, Party

NAMESPACE_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
PEPPOL_BILLING_3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_FORMATS = (
    ("urn:fdc:anskaffelser.no:2019:ehf", "EHF30"),
    ("urn:www.difi.no:ehf", "EHF20"),
    (PEPPOL_BILLING_3, "PEPPOLBIS30"),
    ("urn:fdc:peppol.eu:poacc:trns:", "PEPPOLBIS30"),
    ("urn:www.peppol.eu:bis:peppol", "PEPPOLBIS20"),
)
_KINDS = {
    "Invoice": "INVOICE",
    "CreditNote": "CREDIT_NOTE",
    "Order": "ORDER",
    "OrderChange": "ORDER",
    "OrderCancellation": "ORDER",
    "OrderResponse": "ORDER_RESPONSE",
    "DespatchAdvice": "DESPATCH_ADVICE",
    "Catalogue": "CATALOGUE",
    "Reminder": "REMINDER",
}
_RESPONSES = (
    ("invoice_response", "INVOICE_RESPONSE"),
    ("mlr", "MESSAGE_LEVEL_RESPONSE"),
    ("catalogue_response", "CATALOGUE_RESPONSE"),
)
# Who sends and who receives each document: (sender party, recipient party).
_PARTIES = {
    "Invoice": ("cac:AccountingSupplierParty", "cac:AccountingCustomerParty"),
    "CreditNote": ("cac:AccountingSupplierParty", "cac:AccountingCustomerParty"),
    "Order": ("cac:BuyerCustomerParty", "cac:SellerSupplierParty"),
    "OrderChange": ("cac:BuyerCustomerParty", "cac:SellerSupplierParty"),
    "OrderCancellation": ("cac:BuyerCustomerParty", "cac:SellerSupplierParty"),
    "OrderResponse": ("cac:SellerSupplierParty", "cac:BuyerCustomerParty"),
    "DespatchAdvice": ("cac:DespatchSupplierParty", "cac:DeliveryCustomerParty"),
    "Catalogue": ("cac:ProviderParty", "cac:ReceiverParty"),
    "ApplicationResponse": ("cac:SenderParty", "cac:ReceiverParty"),
}


def detect(root: etree._Element) -> Detected | None:
    qname = etree.QName(root)
    if not (qname.namespace or "").startswith(NAMESPACE_PREFIX):
        return None
    customization = _text(root, "cbc:CustomizationID")
    kind = _KINDS.get(qname.localname, "UNKNOWN")
    if qname.localname == "ApplicationResponse":
        kind = next((k for m, k in _RESPONSES if f":{m}:" in customization), "UNKNOWN")
    return Detected(
        format=next((name for marker, name in _FORMATS if marker in customization), ""),
        kind=kind,
        root=qname.localname,
        customization=customization,
        profile=_text(root, "cbc:ProfileID"),
    )


def read(root: etree._Element, detected: Detected) -> EInvoice:
    total = "cac:LegalMonetaryTotal/cbc:"
    sign = -1 if detected.kind == "CREDIT_NOTE" else 1
    return EInvoice(
        detected=detected,
        number=values.required(_text(root, "cbc:ID"), "number", "ID"),
        currency=values.required(
            _text(root, "cbc:DocumentCurrencyCode"), "currency", "DocumentCurrencyCode"
        ),
        sum=sign * _amount(root, total + "TaxExclusiveAmount", "total without VAT"),
        sum_tax=sign * _amount(root, total + "TaxInclusiveAmount", "total with VAT"),
        seller=_party(root, "cac:AccountingSupplierParty/cac:Party", seller=True),
        buyer=_party(root, "cac:AccountingCustomerParty/cac:Party"),
        date=values.date(_text(root, "cbc:IssueDate"), "issue date", "IssueDate"),
        date_due=values.date(
            _text(root, "cbc:DueDate") or _text(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
            "due date",
            "DueDate",
        ),
        reference=_text(root, "cac:PaymentMeans/cbc:PaymentID"),
    )


def read_document(root: etree._Element, detected: Detected) -> DocumentInfo:
    sender, recipient = _PARTIES.get(detected.root, ("", ""))
    return DocumentInfo(
        detected=detected,
        number=_text(root, "cbc:ID"),
        sender=_party(root, f"{sender}/cac:Party") if sender else Party(),
        recipient=_party(root, f"{recipient}/cac:Party") if recipient else Party(),
    )


def _text(element: etree._Element, path: str) -> str:
    return values.text(element.find(path, NS))


def _amount(root: etree._Element, path: str, field: str):
    return values.number(_text(root, path), field, path.replace("cac:", "").replace("cbc:", ""))


def _party(root: etree._Element, path: str, *, seller: bool = False) -> Party:
    party = root.find(path, NS)
    if party is None:
        return Party()
    endpoint = party.find("cbc:EndpointID", NS)
    eia = values.text(endpoint)
    if eia and endpoint.get("schemeID"):
        eia = f"{endpoint.get('schemeID')}:{eia}"
    vat = next(
        (
            _text(scheme, "cbc:CompanyID")
            for scheme in party.iterfind("cac:PartyTaxScheme", NS)
            if _text(scheme, "cac:TaxScheme/cbc:ID") == "VAT"
        ),
        "",
    )
    return Party(
        name=_text(party, "cac:PartyLegalEntity/cbc:RegistrationName")
        or _text(party, "cac:PartyName/cbc:Name"),
        bid=_text(party, "cac:PartyLegalEntity/cbc:CompanyID")
        or _text(party, "cac:PartyIdentification/cbc:ID"),
        eia=eia,
        country=_text(party, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
        vat=vat,
        bank_account=_text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")
        if seller
        else "",
    )
