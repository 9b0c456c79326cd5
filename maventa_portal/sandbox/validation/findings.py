"""A validation finding, where it is (an XPath), and the arithmetic the rules share.

A finding carries the rule's id as its specification names it (EN 16931's BR-..., Peppol's
PEPPOL-EN16931-R..., the Norwegian NO-R-...), its severity as the Schematron ``flag`` says it
(``fatal`` or ``warning``), a message, and the location: the XPath of the element at fault, or
of where a missing one belongs. XPaths use the document's prefixes (``cac:``, ``cbc:``), the
root unprefixed, and ``[n]`` where a parent has several children of one name.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

FATAL, WARNING = "fatal", "warning"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message: str
    location: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _step(element: etree._Element) -> str:
    qname = etree.QName(element)
    prefix = next((p for p, ns in (element.nsmap or {}).items() if ns == qname.namespace), None)
    name = (
        f"{prefix}:{qname.localname}"
        if prefix and element.getparent() is not None
        else (qname.localname)
    )
    parent = element.getparent()
    if parent is None:
        return name
    same = [sibling for sibling in parent if sibling.tag == element.tag]
    return f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name


def xpath_of(element: etree._Element) -> str:
    steps = [_step(e) for e in reversed([element, *element.iterancestors()])]
    return "/" + "/".join(steps)


def below(element: etree._Element, child: str) -> str:
    """The XPath of ``child`` (a prefixed name or a relative path) under ``element``."""
    return f"{xpath_of(element)}/{child}"


def amount(element: etree._Element | None) -> Decimal | None:
    """An amount element's value (dot or comma decimals), None when absent or not a number."""
    if element is None or element.text is None:
        return None
    try:
        return Decimal(element.text.strip().replace(",", "."))
    except InvalidOperation:
        return None


def same_amount(left: Decimal, right: Decimal) -> bool:
    """Equal to the cent, as EN 16931 compares its amounts (two decimals)."""
    return left.quantize(CENT) == right.quantize(CENT)


def money(value: Decimal) -> str:
    return f"{value.quantize(CENT)}"


# EN 16931's wording of the totals rules, shared by the formats that carry them.
TOTALS_RULES = {
    "BR-CO-10": "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).",
    "BR-CO-13": "Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) "
    "- Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).",
    "BR-CO-14": "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).",
    "BR-CO-15": "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT "
    "(BT-109) + Invoice total VAT amount (BT-110).",
    "BR-CO-16": "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) - Paid "
    "amount (BT-113) + Rounding amount (BT-114).",
}


def mismatch(
    rule: str, element: etree._Element | None, stated: Decimal | None, expected: Decimal | None
) -> Finding | None:
    """A finding when ``stated`` (the amount of ``element``) is not ``expected``."""
    if element is None or stated is None or expected is None or same_amount(stated, expected):
        return None
    message = f"{TOTALS_RULES[rule]} Stated {money(stated)}, computed {money(expected)}."
    return Finding(rule, FATAL, message, xpath_of(element))
