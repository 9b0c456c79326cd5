"""Finvoice 3.0: its structure (the elements its schema makes mandatory) and EN 16931's rules
that Finvoice 3.0 carries (its implementation guide maps the same business terms): the
mandatory terms (BR-02, BR-03, BR-06, BR-07, BR-16) and the totals (BR-CO-10, BR-CO-14,
BR-CO-15, BR-CO-16 with EpiInstructedAmount as the amount due).
"""

from decimal import Decimal

from lxml import etree

from .findings import FATAL, Finding, amount, below, mismatch, xpath_of

_STRUCTURE = (
    "SellerPartyDetails",
    "BuyerPartyDetails",
    "InvoiceDetails",
    "InvoiceDetails/InvoiceTypeCode",
    "InvoiceDetails/InvoiceTotalVatIncludedAmount",
)
_MANDATORY = (
    ("BR-02", "InvoiceDetails/InvoiceNumber", "an Invoice number (BT-1)"),
    ("BR-03", "InvoiceDetails/InvoiceDate", "an Invoice issue date (BT-2)"),
    ("BR-06", "SellerPartyDetails/SellerOrganisationName", "the Seller name (BT-27)"),
    ("BR-07", "BuyerPartyDetails/BuyerOrganisationName", "the Buyer name (BT-44)"),
)


def check(root: etree._Element) -> list[Finding]:
    found = []
    if not root.get("Version"):
        found.append(
            Finding(
                "SCHEMA", FATAL, "Finvoice has no Version attribute.", xpath_of(root) + "/@Version"
            )
        )
    found += [
        Finding(
            "SCHEMA", FATAL, f"Element {path.rpartition('/')[2]} is missing.", below(root, path)
        )
        for path in _STRUCTURE
        if root.find(path) is None
    ]
    found += [
        Finding(rule, FATAL, f"An Invoice shall have {what}.", below(root, path))
        for rule, path, what in _MANDATORY
        if not (root.findtext(path) or "").strip()
    ]
    rows = [
        row for row in root.iterfind("InvoiceRow") if row.find("RowVatExcludedAmount") is not None
    ]
    if not rows:
        message = "An Invoice shall have at least one Invoice line (BG-25)."
        found.append(Finding("BR-16", FATAL, message, below(root, "InvoiceRow")))
    details = root.find("InvoiceDetails")
    if details is not None:
        found += _totals(root, details, rows)
    return found


def _totals(root: etree._Element, details: etree._Element, rows) -> list[Finding]:
    zero = Decimal(0)
    line_sum = sum((amount(r.find("RowVatExcludedAmount")) or zero for r in rows), zero)
    specs = details.iterfind("VatSpecificationDetails")
    vat_sum = sum((amount(v.find("VatRateAmount")) or zero for v in specs), zero)
    net, vat, gross = (
        details.find(name)
        for name in (
            "InvoiceTotalVatExcludedAmount",
            "InvoiceTotalVatAmount",
            "InvoiceTotalVatIncludedAmount",
        )
    )
    paid = amount(details.find("InvoicePaidAmount")) or zero
    rounding = amount(details.find("InvoiceTotalRoundoffAmount")) or zero
    due = root.find("EpiDetails/EpiPaymentInstructionDetails/EpiInstructedAmount")
    both = amount(net) is not None and amount(vat) is not None
    checks = (
        ("BR-CO-10", details.find("RowsTotalVatExcludedAmount"), line_sum),
        ("BR-CO-14", vat, vat_sum),
        ("BR-CO-15", gross, amount(net) + amount(vat) if both else None),
        ("BR-CO-16", due, None if amount(gross) is None else amount(gross) - paid + rounding),
    )
    found = [mismatch(rule, element, amount(element), value) for rule, element, value in checks]
    return [finding for finding in found if finding is not None]
