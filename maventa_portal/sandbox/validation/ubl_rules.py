"""Peppol BIS Billing 3.0 (and EHF Billing 3.0, its Norwegian use): a handful of the rules of
EN 16931's UBL Schematron and of Peppol's, with their ids and flags.

Mandatory elements (BR-01 to BR-16), the totals (BR-CO-10, BR-CO-13, BR-CO-14, BR-CO-15,
BR-CO-16), Peppol's PEPPOL-EN16931-R001 (business process), R003 (buyer reference or order
reference), R004 (specification identifier), R010 and R020 (electronic addresses) and R051
(one currency), and for Norwegian sellers NO-R-001 (VAT number form) and NO-R-002
("Foretaksregisteret", a warning). The sandbox checks these only; Maventa's validator runs the
whole Schematron.
"""

from decimal import Decimal

from lxml import etree

from ..einvoice.ubl import NS, PEPPOL_BILLING_3
from .findings import FATAL, WARNING, Finding, amount, below, mismatch, xpath_of

SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party"
TOTAL = "cac:LegalMonetaryTotal"

_MANDATORY = (
    ("BR-01", "cbc:CustomizationID", "a Specification identifier (BT-24)"),
    ("BR-02", "cbc:ID", "an Invoice number (BT-1)"),
    ("BR-03", "cbc:IssueDate", "an Invoice issue date (BT-2)"),
    ("BR-05", "cbc:DocumentCurrencyCode", "an Invoice currency code (BT-5)"),
    ("BR-06", f"{SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName", "the Seller name (BT-27)"),
    ("BR-07", f"{CUSTOMER}/cac:PartyLegalEntity/cbc:RegistrationName", "the Buyer name (BT-44)"),
    ("BR-08", f"{SUPPLIER}/cac:PostalAddress", "the Seller postal address (BG-5)"),
    (
        "BR-09",
        f"{SUPPLIER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
        "the Seller country code (BT-40)",
    ),
    ("BR-10", f"{CUSTOMER}/cac:PostalAddress", "the Buyer postal address (BG-8)"),
    (
        "BR-11",
        f"{CUSTOMER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
        "the Buyer country code (BT-55)",
    ),
    ("BR-12", f"{TOTAL}/cbc:LineExtensionAmount", "the Sum of Invoice line net amount (BT-106)"),
    ("BR-13", f"{TOTAL}/cbc:TaxExclusiveAmount", "the Invoice total amount without VAT (BT-109)"),
    ("BR-14", f"{TOTAL}/cbc:TaxInclusiveAmount", "the Invoice total amount with VAT (BT-112)"),
    ("BR-15", f"{TOTAL}/cbc:PayableAmount", "the Amount due for payment (BT-115)"),
    ("PEPPOL-EN16931-R001", "cbc:ProfileID", "a Business process (BT-23)"),
    ("PEPPOL-EN16931-R020", f"{SUPPLIER}/cbc:EndpointID", "the Seller electronic address (BT-34)"),
    ("PEPPOL-EN16931-R010", f"{CUSTOMER}/cbc:EndpointID", "the Buyer electronic address (BT-49)"),
)


def check(root: etree._Element) -> list[Finding]:
    credit = etree.QName(root).localname == "CreditNote"
    findings = _mandatory(root, credit)
    findings += _peppol(root)
    findings += _totals(root, credit)
    findings += _currency(root)
    findings += _norwegian(root)
    return findings


def _text(root: etree._Element, path: str) -> str:
    return (root.findtext(path, default="", namespaces=NS) or "").strip()


def _mandatory(root: etree._Element, credit: bool) -> list[Finding]:
    type_code = "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"
    rules = (*_MANDATORY, ("BR-04", type_code, "an Invoice type code (BT-3)"))
    found = [
        Finding(rule, FATAL, f"An Invoice shall have {what}.", below(root, path))
        for rule, path, what in rules
        if root.find(path, NS) is None or not _has_content(root.find(path, NS))
    ]
    line = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    if root.find(line, NS) is None:
        message = "An Invoice shall have at least one Invoice line (BG-25)."
        found.append(Finding("BR-16", FATAL, message, below(root, line)))
    return found


def _has_content(element: etree._Element) -> bool:
    return len(element) > 0 or bool((element.text or "").strip())


def _peppol(root: etree._Element) -> list[Finding]:
    found = []
    customization = _text(root, "cbc:CustomizationID")
    if customization and not customization.startswith(PEPPOL_BILLING_3):
        message = f"Specification identification MUST have the value '{PEPPOL_BILLING_3}'."
        location = xpath_of(root.find("cbc:CustomizationID", NS))
        found.append(Finding("PEPPOL-EN16931-R004", FATAL, message, location))
    if not _text(root, "cbc:BuyerReference") and not _text(root, "cac:OrderReference/cbc:ID"):
        message = "A buyer reference or purchase order reference MUST be provided."
        found.append(
            Finding("PEPPOL-EN16931-R003", FATAL, message, below(root, "cbc:BuyerReference"))
        )
    return found


def _sum(root: etree._Element, path: str) -> Decimal:
    return sum((amount(e) or Decimal(0) for e in root.iterfind(path, NS)), Decimal(0))


def _totals(root: etree._Element, credit: bool) -> list[Finding]:
    total = root.find(TOTAL, NS)
    if total is None:
        return []
    zero = Decimal(0)

    def stated(name: str) -> Decimal | None:
        return amount(total.find(f"cbc:{name}", NS))

    def optional(name: str) -> Decimal:
        return stated(name) or zero

    lines = _sum(
        root, f"{'cac:CreditNoteLine' if credit else 'cac:InvoiceLine'}/cbc:LineExtensionAmount"
    )
    line_sum, net, gross = (
        stated(n) for n in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount")
    )
    tax_total = _own_tax_total(root)
    vat = amount(tax_total.find("cbc:TaxAmount", NS)) if tax_total is not None else None
    expected = {
        "BR-CO-10": ("LineExtensionAmount", lines),
        "BR-CO-13": (
            "TaxExclusiveAmount",
            None
            if line_sum is None
            else line_sum - optional("AllowanceTotalAmount") + optional("ChargeTotalAmount"),
        ),
        "BR-CO-15": ("TaxInclusiveAmount", None if net is None else net + (vat or zero)),
        "BR-CO-16": (
            "PayableAmount",
            None
            if gross is None
            else gross - optional("PrepaidAmount") + optional("PayableRoundingAmount"),
        ),
    }
    found = [
        mismatch(rule, total.find(f"cbc:{name}", NS), stated(name), value)
        for rule, (name, value) in expected.items()
    ]
    if tax_total is not None:
        breakdown = _sum(tax_total, "cac:TaxSubtotal/cbc:TaxAmount")
        found.append(mismatch("BR-CO-14", tax_total.find("cbc:TaxAmount", NS), vat, breakdown))
    return [finding for finding in found if finding is not None]


def _own_tax_total(root: etree._Element) -> etree._Element | None:
    """The TaxTotal in the invoice currency (a second one may state BT-111 in another)."""
    currency = _text(root, "cbc:DocumentCurrencyCode")
    for tax_total in root.iterfind("cac:TaxTotal", NS):
        tax = tax_total.find("cbc:TaxAmount", NS)
        if tax is not None and tax.get("currencyID", currency) == currency:
            return tax_total
    return None


def _currency(root: etree._Element) -> list[Finding]:
    currency = _text(root, "cbc:DocumentCurrencyCode")
    if not currency:
        return []
    accounting = _text(root, "cbc:TaxCurrencyCode")
    for element in root.iter():
        given = element.get("currencyID") if isinstance(element.tag, str) else None
        if given is None or given == currency:
            continue
        if given == accounting and etree.QName(element).localname == "TaxAmount":
            continue  # BT-111, the VAT total in the accounting currency
        message = (
            "All currencyID attributes must have the same value as the invoice currency code "
            f"(BT-5), except for the invoice total VAT amount in accounting currency (BT-111). "
            f"Found {given}, the invoice is in {currency}."
        )
        return [Finding("PEPPOL-EN16931-R051", FATAL, message, xpath_of(element) + "/@currencyID")]
    return []


def _norwegian(root: etree._Element) -> list[Finding]:
    supplier = root.find(SUPPLIER, NS)
    if (
        supplier is None
        or _text(supplier, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") != "NO"
    ):
        return []
    found = []
    for scheme in supplier.iterfind("cac:PartyTaxScheme", NS):
        vat = _text(scheme, "cbc:CompanyID")
        if _text(scheme, "cac:TaxScheme/cbc:ID") == "VAT" and not _norwegian_vat(vat):
            message = (
                "For Norwegian suppliers, a VAT number MUST be the country code prefix NO "
                "followed by a valid Norwegian organization number (nine numbers) followed by "
                f"the letters MVA. Found {vat!r}."
            )
            location = xpath_of(scheme.find("cbc:CompanyID", NS))
            found.append(Finding("NO-R-001", FATAL, message, location))
    registered = any(
        _text(s, "cac:TaxScheme/cbc:ID") == "TAX"
        and _text(s, "cbc:CompanyID") == "Foretaksregisteret"
        for s in supplier.iterfind("cac:PartyTaxScheme", NS)
    )
    if not registered:
        message = (
            'Most invoice issuers are required to append "Foretaksregisteret" to their invoice '
            "(foretaksregisterloven § 10-2)."
        )
        found.append(Finding("NO-R-002", WARNING, message, below(supplier, "cac:PartyTaxScheme")))
    return found


def _norwegian_vat(vat: str) -> bool:
    return len(vat) == 14 and vat.startswith("NO") and vat.endswith("MVA") and vat[2:11].isdigit()
