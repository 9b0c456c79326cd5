"""TEAPPSXML 2.7 and 3.0 (Maventa's TEAPPS27, TEAPPS30): Tieto's format, best effort.

``INVOICE_CENTER/CONTENT_FRAME/INVOICES/INVOICE``, the first invoice of the frame; ``PAYEE``
is the seller, ``RECEIVER`` the buyer. An amount is ``<AMOUNT SIGN="-" VAT="EXCLUDED">``;
``HEADER/INVOICE_TYPE`` 00 and the like are invoices, 01 and the like credit notes.
"""

from decimal import Decimal

from lxml import etree

from . import values
from .model import Detected, DocumentInfo, EInvoice, Party

INVOICE = "CONTENT_FRAME/INVOICES/INVOICE"
_CREDIT_CODES = {"01", "04", "05", "07", "60"}
_UNTDID_CREDIT = {"81", "83", "381", "396", "532"}
_DOCUMENT_CODES = {"50": "ORDER", "51": "ORDER_RESPONSE"}


def detect(root: etree._Element) -> Detected | None:
    if root.tag != "INVOICE_CENTER":
        return None
    version = values.text(root.find("CONTENT_FRAME/BLOCK_RULES/FORMAT_VERSION"))
    if version.startswith("2.7"):
        name = "TEAPPS27"
    elif version in ("", "3", "3.0") or version.startswith("3.0."):
        name = "TEAPPS30"
    else:
        name = ""
    kind = _kind(root.find(f"{INVOICE}/HEADER/INVOICE_TYPE"))
    return Detected(format=name, kind=kind, root=root.tag, version=version)


def _kind(invoice_type: etree._Element | None) -> str:
    code = values.text(invoice_type)
    untdid = "" if invoice_type is None else invoice_type.get("UNTDID_CODE", "").strip()
    if untdid:
        return "CREDIT_NOTE" if untdid in _UNTDID_CREDIT else "INVOICE"
    if code in _CREDIT_CODES:
        return "CREDIT_NOTE"
    return _DOCUMENT_CODES.get(code, "INVOICE")


def read(root: etree._Element, detected: Detected) -> EInvoice:
    invoice = root.find(INVOICE)
    if invoice is None:
        raise values.Unreadable(values.MISSING.format(field="invoice", path=INVOICE))
    header = invoice.find("HEADER")
    if header is None:
        raise values.Unreadable(values.MISSING.format(field="header", path="INVOICE/HEADER"))
    gross = _amount(invoice.find("SUMMARY/INVOICE_TOTAL"), "INCLUDED")
    net = _amount(invoice.find("SUMMARY/INVOICE_TOTAL"), "EXCLUDED")
    if gross is None:
        raise values.Unreadable(values.MISSING.format(field="total", path="SUMMARY/INVOICE_TOTAL"))
    if net is None:
        vat = _amount(invoice.find("SUMMARY/VAT_TOTAL"), "EXCLUDED") or Decimal(0)
        net = gross - vat
    sign = -1 if detected.kind == "CREDIT_NOTE" and gross > 0 else 1
    return EInvoice(
        detected=detected,
        number=values.required(_text(header, "INVOICE_ID"), "number", "HEADER/INVOICE_ID"),
        currency=_text(header, "CURRENCY/CODE") or "EUR",
        sum=sign * net,
        sum_tax=sign * gross,
        seller=_party(invoice.find("PAYEE")),
        buyer=_party(invoice.find("RECEIVER")),
        date=values.date_of_parts(header.find("INVOICE_DATE/DATE")),
        date_due=values.date_of_parts(header.find("DUE_DATE/DATE")),
        reference=_text(invoice, "PAYEE/DETAILS_OF_PAYMENT/FI_PAYMENT_REFERENCE"),
    )


def read_document(root: etree._Element, detected: Detected) -> DocumentInfo:
    invoice = root.find(INVOICE)
    if invoice is None:
        return DocumentInfo(detected)
    return DocumentInfo(
        detected,
        number=_text(invoice, "HEADER/INVOICE_ID"),
        sender=_party(invoice.find("PAYEE")),
        recipient=_party(invoice.find("RECEIVER")),
    )


def _text(element: etree._Element, path: str) -> str:
    return values.text(element.find(path))


def _amount(holder: etree._Element | None, vat: str) -> Decimal | None:
    """The AMOUNT of ``holder`` marked VAT="``vat``", signed by its SIGN attribute."""
    if holder is None:
        return None
    for amount in holder.iterfind("AMOUNT"):
        if amount.get("VAT", "").upper() == vat:
            value = values.number(values.text(amount), f"amount ({vat})", holder.tag)
            return -value if amount.get("SIGN", "+").strip() == "-" else value
    return None


def _party(party: etree._Element | None) -> Party:
    if party is None:
        return Party()
    info = "CUSTOMER_INFORMATION/"
    return Party(
        name=_text(party, f"{info}CUSTOMER_NAME"),
        bid=_text(party, f"{info}ORGANIZATION_NUMBER"),
        eia=_text(party, "NET_SERVICE_ID"),
        country=_text(party, f"{info}ADDRESS/COUNTRY_CODE"),
        vat=_text(party, f"{info}VAT_NUMBER"),
        bank_account=_text(party, "BANKS/IBAN_ACCOUNT_NUMBER"),
    )
