"""Finvoice 1.3, 2.0 and 3.0 (Maventa's FINVOICE13, FINVOICE20, FINVOICE30).

Root ``<Finvoice Version="3.0">``, no namespace; amounts with a decimal comma and a leading
minus, dates CCYYMMDD. ``InvoiceTypeCode`` INV01 is an invoice, INV02 a credit note; ORD, ORC
and DEV codes are orders, order responses and delivery notes.
"""

from lxml import etree

from . import values
from .model import Detected, DocumentInfo, EInvoice, Party

_VERSIONS = {"3.0": "FINVOICE30", "2.01": "FINVOICE20", "2.0": "FINVOICE20", "1.3": "FINVOICE13"}
_KINDS = {"INV": "INVOICE", "ORD": "ORDER", "ORC": "ORDER_RESPONSE", "DEV": "DESPATCH_ADVICE"}


def detect(root: etree._Element) -> Detected | None:
    if root.tag != "Finvoice":
        return None
    code = values.text(root.find("InvoiceDetails/InvoiceTypeCode")).upper()
    kind = "CREDIT_NOTE" if code == "INV02" else _KINDS.get(code[:3] or "INV", "UNKNOWN")
    version = root.get("Version", "").strip()
    return Detected(_VERSIONS.get(version, ""), kind, "Finvoice", version=version)


def read(root: etree._Element, detected: Detected) -> EInvoice:
    details = root.find("InvoiceDetails")
    if details is None:
        raise values.Unreadable(values.MISSING.format(field="details", path="InvoiceDetails"))
    gross = details.find("InvoiceTotalVatIncludedAmount")
    gross_amount = values.number(
        values.text(gross), "total with VAT", "InvoiceTotalVatIncludedAmount"
    )
    net = values.text(details.find("InvoiceTotalVatExcludedAmount"))
    vat = values.text(details.find("InvoiceTotalVatAmount"))
    if net:
        net_amount = values.number(net, "total without VAT", "InvoiceTotalVatExcludedAmount")
    else:
        net_amount = gross_amount - values.number(vat or "0", "VAT total", "InvoiceTotalVatAmount")
    # Finvoice credit notes carry minus signs; one written positive is read as the sender meant.
    sign = -1 if detected.kind == "CREDIT_NOTE" and gross_amount > 0 else 1
    return EInvoice(
        detected=detected,
        number=values.required(_text(details, "InvoiceNumber"), "number", "InvoiceNumber"),
        currency=values.required(
            "" if gross is None else gross.get("AmountCurrencyIdentifier", ""),
            "currency",
            "InvoiceTotalVatIncludedAmount/@AmountCurrencyIdentifier",
        ),
        sum=sign * net_amount,
        sum_tax=sign * gross_amount,
        seller=_party(root, "Seller", "MessageSenderDetails/FromIdentifier"),
        buyer=_party(root, "Buyer", "MessageReceiverDetails/ToIdentifier"),
        date=values.date(_text(details, "InvoiceDate"), "date", "InvoiceDate", compact=True),
        date_due=values.date(
            _text(details, "PaymentTermsDetails/InvoiceDueDate"),
            "due date",
            "InvoiceDueDate",
            compact=True,
        ),
        reference=_text(root, "EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier")
        or _text(details, "SellerReferenceIdentifier"),
    )


def read_document(root: etree._Element, detected: Detected) -> DocumentInfo:
    number = _text(root, "InvoiceDetails/InvoiceNumber")
    seller = _party(root, "Seller", "MessageSenderDetails/FromIdentifier")
    buyer = _party(root, "Buyer", "MessageReceiverDetails/ToIdentifier")
    # An order goes from the buyer to the seller; the other messages the other way.
    if detected.kind == "ORDER":
        return DocumentInfo(detected, number, sender=buyer, recipient=seller)
    return DocumentInfo(detected, number, sender=seller, recipient=buyer)


def _text(element: etree._Element, path: str) -> str:
    return values.text(element.find(path))


def _party(root: etree._Element, role: str, transmission: str) -> Party:
    details = f"{role}PartyDetails/"
    eia = _text(root, f"{role}OrganisationUnitNumber") or _text(
        root, f"MessageTransmissionDetails/{transmission}"
    )
    account = ""
    if role == "Seller":
        account = _text(root, "SellerInformationDetails/SellerAccountDetails/SellerAccountID") or (
            _text(root, "EpiDetails/EpiPartyDetails/EpiBeneficiaryPartyDetails/EpiAccountID")
        )
    return Party(
        name=_text(root, f"{details}{role}OrganisationName"),
        bid=_text(root, f"{details}{role}PartyIdentifier"),
        eia=eia,
        country=_text(root, f"{details}{role}PostalAddressDetails/CountryCode"),
        vat=_text(root, f"{details}{role}OrganisationTaxCode"),
        bank_account=account,
    )
