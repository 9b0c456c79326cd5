"""Business ids (bid) checked before any call to Maventa.

Finnish Y-tunnus and Norwegian organisation numbers carry a mod-11 check digit, Swedish
organisation numbers a Luhn digit; other countries are checked by length and characters
only. VAT forms of the three (FI12345671, NO123456789MVA, SE5560000001 01) are accepted,
as Maventa prefers VAT numbers as bid (FIELDS.md, POST /v1/companies).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

FI_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
NO_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
GENERIC = re.compile(r"^[A-Z0-9][A-Z0-9 .\-/]{3,19}$")

EMPTY_BID = "Enter the company's business id."
FI_FORMAT = "A Finnish business id (Y-tunnus) looks like 1234567-8; {bid!r} does not."
FI_CHECKSUM = "The Finnish business id {bid} fails its check digit: mistyped?"
NO_FORMAT = "A Norwegian organisation number has 9 digits; {bid!r} does not."
NO_CHECKSUM = "The Norwegian organisation number {bid} fails its check digit: mistyped?"
SE_FORMAT = "A Swedish organisation number looks like 556000-0001; {bid!r} does not."
SE_CHECKSUM = "The Swedish organisation number {bid} fails its Luhn check digit: mistyped?"
GENERIC_FORMAT = (
    "A business id for {country} has 4 to 20 letters, digits, spaces, dots or dashes; "
    "{bid!r} does not."
)


def fi_check_digit(digits7: str) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits7, FI_WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def no_check_digit(digits8: str) -> int | None:
    check = 11 - sum(int(d) * w for d, w in zip(digits8, NO_WEIGHTS, strict=True)) % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _finnish(bid: str) -> str:
    compact = bid.replace(" ", "")
    if re.fullmatch(r"FI\d{8}", compact):
        compact = f"{compact[2:9]}-{compact[9]}"
    elif re.fullmatch(r"\d{8}", compact):
        compact = f"{compact[:7]}-{compact[7]}"
    if not re.fullmatch(r"\d{7}-\d", compact):
        raise ValidationError(FI_FORMAT.format(bid=bid), code="format")
    if fi_check_digit(compact[:7]) != int(compact[-1]):
        raise ValidationError(FI_CHECKSUM.format(bid=compact), code="checksum")
    return compact


def _norwegian(bid: str) -> str:
    compact = re.sub(r"[\s.]", "", bid)
    match = re.fullmatch(r"(?:NO)?(\d{9})(?:MVA)?", compact)
    if not match:
        raise ValidationError(NO_FORMAT.format(bid=bid), code="format")
    digits = match.group(1)
    if no_check_digit(digits[:8]) != int(digits[8]):
        raise ValidationError(NO_CHECKSUM.format(bid=digits), code="checksum")
    return digits


def _swedish(bid: str) -> str:
    compact = re.sub(r"[\s\-]", "", bid)
    match = re.fullmatch(r"(?:SE)?(\d{10})(?:01)?", compact)
    if not match:
        raise ValidationError(SE_FORMAT.format(bid=bid), code="format")
    digits = match.group(1)
    if not luhn_valid(digits):
        raise ValidationError(SE_CHECKSUM.format(bid=f"{digits[:6]}-{digits[6:]}"), code="checksum")
    return f"{digits[:6]}-{digits[6:]}"


def normalise_bid(bid: str, country: str) -> str:
    """Returns the bid in its usual written form, or raises ValidationError saying why not."""
    bid = (bid or "").strip().upper()
    if not bid:
        raise ValidationError(EMPTY_BID, code="required")
    country = (country or "").upper()
    if country == "FI":
        return _finnish(bid)
    if country == "NO":
        return _norwegian(bid)
    if country == "SE":
        return _swedish(bid)
    if not GENERIC.fullmatch(bid):
        raise ValidationError(GENERIC_FORMAT.format(bid=bid, country=country or "?"), code="format")
    return bid


def finnish_eia(bid: str) -> str:
    """Finnish e-invoice address (OVT): 0037 followed by the business id's digits."""
    return "0037" + bid.replace("-", "")


def example_bid(country: str, n: int) -> str:
    """A business id that passes the checks above for ``country``, distinct for each ``n``:
    made-up companies for tests, benchmarks and demo data."""
    if country == "FI":
        base = 1000000 + n
        while fi_check_digit(f"{base:07d}") is None:
            base += 1
        return f"{base:07d}-{fi_check_digit(f'{base:07d}')}"
    if country == "NO":
        base = 91000000 + n
        while no_check_digit(f"{base:08d}") is None:
            base += 1
        return f"{base:08d}{no_check_digit(f'{base:08d}')}"
    if country == "SE":
        base = 556000000 + n
        digits = next(f"{base:09d}{d}" for d in range(10) if luhn_valid(f"{base:09d}{d}"))
        return f"{digits[:6]}-{digits[6:]}"
    return f"{10000000 + n:08d}"
