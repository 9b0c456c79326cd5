"""TEAPPSXML 3.0: the structure its template makes mandatory, and EN 16931's totals rules on
the amounts its template maps to them (BR-CO-10 on the main rows, BR-CO-14 on the VAT summary,
BR-CO-15 on the invoice total). An AMOUNT is signed by its SIGN attribute and marked VAT
INCLUDED or EXCLUDED.
"""

from decimal import Decimal

from lxml import etree

from .findings import FATAL, Finding, amount, below, mismatch

INVOICE = "CONTENT_FRAME/INVOICES/INVOICE"
_STRUCTURE = (
    "CONTENT_FRAME",
    "CONTENT_FRAME/INVOICES",
    INVOICE,
    f"{INVOICE}/HEADER",
    f"{INVOICE}/PAYEE",
    f"{INVOICE}/RECEIVER",
    f"{INVOICE}/SUMMARY",
)
_MANDATORY = (
    ("BR-02", "HEADER/INVOICE_ID", "an Invoice number (BT-1)"),
    ("BR-03", "HEADER/INVOICE_DATE/DATE", "an Invoice issue date (BT-2)"),
    ("BR-06", "PAYEE/CUSTOMER_INFORMATION/CUSTOMER_NAME", "the Seller name (BT-27)"),
    ("BR-07", "RECEIVER/CUSTOMER_INFORMATION/CUSTOMER_NAME", "the Buyer name (BT-44)"),
)
_SKIPPED_ROWS = {"SPECIFICATION", "SUBTOTAL", "INFO"}


def check(root: etree._Element) -> list[Finding]:
    found = [
        Finding(
            "SCHEMA", FATAL, f"Element {path.rpartition('/')[2]} is missing.", below(root, path)
        )
        for path in _STRUCTURE
        if root.find(path) is None
    ]
    invoice = root.find(INVOICE)
    if invoice is None:
        return found
    found += [
        Finding(rule, FATAL, f"An Invoice shall have {what}.", below(invoice, path))
        for rule, path, what in _MANDATORY
        if invoice.find(path) is None
    ]
    rows = [
        r for r in invoice.iterfind("ROWS/ROW") if r.get("ROW_TYPE", "MAIN") not in _SKIPPED_ROWS
    ]
    if not rows:
        message = "An Invoice shall have at least one Invoice line (BG-25)."
        found.append(Finding("BR-16", FATAL, message, below(invoice, "ROWS/ROW")))
    summary = invoice.find("SUMMARY")
    if summary is not None:
        found += _totals(summary, rows)
    return found


def _marked(holder: etree._Element | None, vat: str) -> etree._Element | None:
    if holder is None:
        return None
    return next((a for a in holder.iterfind("AMOUNT") if a.get("VAT", "").upper() == vat), None)


def _signed(element: etree._Element | None) -> Decimal | None:
    value = amount(element)
    if value is None:
        return None
    return -value if element.get("SIGN", "+").strip() == "-" else value


def _totals(summary: etree._Element, rows) -> list[Finding]:
    zero = Decimal(0)
    lines = sum((_signed(_marked(r.find("ROW_TOTAL"), "EXCLUDED")) or zero for r in rows), zero)
    rates = summary.iterfind("VAT_SUMMARY")
    breakdown = sum(
        (_signed(_marked(v.find("VAT_RATE_TOTAL"), "EXCLUDED")) or zero for v in rates), zero
    )
    rows_total = _marked(summary.find("ROWS_TOTAL"), "EXCLUDED")
    vat_total = _marked(summary.find("VAT_TOTAL"), "EXCLUDED")
    gross = _marked(summary.find("INVOICE_TOTAL"), "INCLUDED")
    net = _marked(summary.find("INVOICE_TOTAL"), "EXCLUDED")
    both = _signed(net) is not None and _signed(vat_total) is not None
    checks = (
        ("BR-CO-10", rows_total, lines),
        ("BR-CO-14", vat_total, breakdown),
        ("BR-CO-15", gross, _signed(net) + _signed(vat_total) if both else None),
    )
    found = [mismatch(rule, element, _signed(element), value) for rule, element, value in checks]
    return [finding for finding in found if finding is not None]
