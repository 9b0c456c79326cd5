"""Texts, numbers and dates read from e-invoice fields; a malformed one is refused by name.

Numbers are checked against a pattern before ``Decimal`` sees them, as ``Decimal`` also takes
"NaN", "Infinity" and "1e999", none of which is an amount.
"""

import datetime
import re
from decimal import Decimal

from lxml import etree

# An optional sign, digits and a decimal dot or comma (Finvoice and TEAPPSXML write a comma).
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)

MISSING = "The invoice has no {field} ({path})"
INVALID = "The invoice's {field} ({path}) is not {what}: {value!r}"


class Unreadable(Exception):
    """What a reader could not take from the file; ``str()`` is the caller's 400 message."""


def text(element: etree._Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return " ".join(element.text.split())


def required(value: str, field: str, path: str) -> str:
    if not value:
        raise Unreadable(MISSING.format(field=field, path=path))
    return value


def number(raw: str, field: str, path: str) -> Decimal:
    value = required(raw, field, path)
    if not _DECIMAL.fullmatch(value):
        raise Unreadable(INVALID.format(field=field, path=path, what="a number", value=value[:40]))
    return Decimal(value.replace(",", "."))


def optional_number(raw: str, field: str, path: str) -> Decimal | None:
    return number(raw, field, path) if raw else None


def date(raw: str, field: str, path: str, *, compact: bool = False) -> datetime.date | None:
    """YYYY-MM-DD (UBL) or CCYYMMDD (Finvoice); None when absent."""
    if not raw:
        return None
    found = (_COMPACT_DATE if compact else _ISO_DATE).fullmatch(raw)
    try:
        if found:
            return datetime.date(*(int(part) for part in found.groups()))
    except ValueError:
        pass
    raise Unreadable(INVALID.format(field=field, path=path, what="a date", value=raw[:40]))


def date_of_parts(element: etree._Element | None) -> datetime.date | None:
    """TEAPPSXML's DATE {DAY, MONTH, CENTURY, DECADE_AND_YEAR}; None when absent or invalid."""
    if element is None:
        return None
    parts = [text(element.find(name)) for name in ("CENTURY", "DECADE_AND_YEAR", "MONTH", "DAY")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    try:
        return datetime.date(int(parts[0] + parts[1]), int(parts[2]), int(parts[3]))
    except ValueError:
        return None
