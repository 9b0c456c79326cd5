"""Numbers, dates and texts read from e-invoice fields, refused by name when malformed.

Every reader takes the field's name for staff ("payable amount") and its place in the file
("LegalMonetaryTotal/PayableAmount"), which an ``InvalidValue`` quotes. Numbers are checked
against a pattern before ``Decimal`` sees them, as ``Decimal`` also takes "NaN", "Infinity"
and "1e999", none of which is an amount.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import NoReturn

from lxml import etree

from exchange.formats import errors

# xsd:decimal, which UBL uses: an optional sign, digits, a dot.
_DOT_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
# Finvoice writes a decimal comma; TEAPPSXML senders write either. No thousands separators.
_ANY_DECIMAL = re.compile(r"[+-]?\d+([.,]\d+)?", re.ASCII)
_COMPACT_DATE = re.compile(r"\d{8}", re.ASCII)
# A Finnish OVT code: 0037, the 8 digits of the business id, up to 5 characters of unit.
_FINNISH_OVT = re.compile(r"0037\d{8}[0-9A-Za-z]{0,5}", re.ASCII)
# Peppol BIS allows YYYY-MM-DD only (no time zone), which fromisoformat would widen.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def text(element: etree._Element | None) -> str:
    """The element's text, whitespace-trimmed; "" when the element is absent or empty."""
    if element is None or element.text is None:
        return ""
    return " ".join(element.text.split())


def address_scheme(identifier: str, stated: str = "") -> str:
    """The ISO 6523 scheme of an e-invoice address: as stated, or 0037 for an OVT code.

    Finnish formats often give the OVT code alone; Peppol writes it as 0037:003712345678.
    """
    return stated or ("0037" if _FINNISH_OVT.fullmatch(identifier) else "")


def required(value: str, *, field: str, path: str) -> str:
    if not value:
        missing(field=field, path=path)
    return value


def missing(*, field: str, path: str) -> NoReturn:
    raise errors.InvalidValue(
        errors.MISSING_VALUE.format(field=field, path=path), field=field, path=path
    )


def number(raw: str, *, field: str, path: str, comma: bool = False) -> Decimal:
    """A required number; ``comma`` accepts a decimal comma (Finvoice, TEAPPSXML)."""
    value = required(raw, field=field, path=path)
    pattern = _ANY_DECIMAL if comma else _DOT_DECIMAL
    if not pattern.fullmatch(value):
        raise errors.InvalidValue(
            errors.INVALID_NUMBER.format(field=field, path=path, value=_shown(value)),
            field=field,
            path=path,
            value=value,
        )
    return Decimal(value.replace(",", "."))


def optional_number(raw: str, *, field: str, path: str, comma: bool = False) -> Decimal | None:
    return number(raw, field=field, path=path, comma=comma) if raw else None


def iso_date(raw: str, *, field: str, path: str) -> datetime.date:
    """A required YYYY-MM-DD date (UBL)."""
    value = required(raw, field=field, path=path)
    if not _ISO_DATE.fullmatch(value):
        raise _invalid_date(field, path, value)
    return date_of(value[:4], value[5:7], value[8:], field=field, path=path, shown=value)


def compact_date(raw: str, *, field: str, path: str) -> datetime.date:
    """A required CCYYMMDD date (Finvoice)."""
    value = required(raw, field=field, path=path)
    if not _COMPACT_DATE.fullmatch(value):
        raise _invalid_date(field, path, value)
    return date_of(value[:4], value[4:6], value[6:], field=field, path=path, shown=value)


def date_of(
    year: str, month: str, day: str, *, field: str, path: str, shown: str = ""
) -> datetime.date:
    """A date from its parts (TEAPPSXML writes them in separate elements)."""
    shown = shown or f"{year}-{month}-{day}"
    if not all(part.isascii() and part.isdigit() for part in (year, month, day)):
        raise _invalid_date(field, path, shown)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise _invalid_date(field, path, shown) from None


def _invalid_date(field: str, path: str, value: str) -> errors.InvalidValue:
    return errors.InvalidValue(
        errors.INVALID_DATE.format(field=field, path=path, value=_shown(value)),
        field=field,
        path=path,
        value=value,
    )


def _shown(value: str) -> str:
    # A hostile file may put megabytes in one field; the message quotes the start only.
    return value if len(value) <= 40 else value[:40] + "..."
