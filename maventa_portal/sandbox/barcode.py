"""The Finnish virtual bar code (virtuaaliviivakoodi) of a received domestic invoice.

FIELDS.md section 5: ``virtual_barcode``, FI domestic, RECEIVED invoices only. Finance
Finland's bank bar code, as 54 digits: version 4 with a national reference number (20 digits),
version 5 with an RF creditor reference (RF's check digits and 21 digits); then the IBAN's 16
digits, the sum in euros (6) and cents (2), and the due date YYMMDD (000000 when none). A sum
of a million euros or more is written as zeros, as the guide says.
"""

import datetime
import re
from decimal import Decimal

_FI_IBAN = re.compile(r"FI(\d{16})")


def virtual_barcode(iban: str, amount: Decimal, reference: str, due: datetime.date | None) -> str:
    """The bar code, or "" when the invoice cannot have one (not FI IBAN, not EUR, no ref)."""
    account = _FI_IBAN.fullmatch(iban.replace(" ", "").upper())
    ref = reference.replace(" ", "").upper()
    if account is None or amount <= 0 or not ref:
        return ""
    cents = int((amount * 100).to_integral_value())
    money = f"{cents // 100:06d}{cents % 100:02d}" if cents < 100_000_000 else "0" * 8
    date = due.strftime("%y%m%d") if due else "000000"
    if ref.startswith("RF") and ref[2:].isdigit() and len(ref) <= 25:
        return f"5{account[1]}{money}{ref[2:4]}{ref[4:].zfill(21)}{date}"
    if ref.isdigit() and len(ref) <= 20:
        return f"4{account[1]}{money}000{ref.zfill(20)}{date}"
    return ""
