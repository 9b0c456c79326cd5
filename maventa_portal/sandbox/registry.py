"""The outside world as the sandbox's generator and Detect see it: senders of incoming invoices,
and what the registers Detect consults (YTJ, Brønnøysund, VIES, Maventa's warning list) would
say about them. All invented, all fixed, so that Detect's answers are deterministic.

Each sender has a second bank account: the generator sometimes uses it, which is what
Detect's BANK_ACCOUNT_CHANGED is there to notice.
"""

from dataclasses import dataclass

from .sample_rewrite import Who

# Finnish business id (Y-tunnus) check digit: weights on the seven digits, modulo 11.
_FI_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
# Norwegian organisation number: weights on the eight digits, modulo 11.
_NO_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def finnish_bid(base: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(base, _FI_WEIGHTS, strict=True)) % 11
    return f"{base}-{0 if remainder == 0 else 11 - remainder}"


def finnish_bid_is_valid(bid: str) -> bool:
    base, _, check = bid.partition("-")
    if len(base) != 7 or not base.isdigit() or len(check) != 1:
        return False
    remainder = sum(int(d) * w for d, w in zip(base, _FI_WEIGHTS, strict=True)) % 11
    return remainder != 1 and finnish_bid(base) == bid


def norwegian_orgnr_is_valid(orgnr: str) -> bool:
    if len(orgnr) != 9 or not orgnr.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(orgnr[:8], _NO_WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(orgnr[8])


def iban(country: str, bban: str) -> str:
    """An IBAN with its check digits (ISO 13616: mod 97 of BBAN + country + 00)."""
    digits = "".join(str(int(ch, 36)) for ch in f"{bban}{country}00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


@dataclass(frozen=True)
class Sender:
    who: Who
    other_iban: str
    # What the registers say (FIELDS.md section 8 reason codes, without the check's prefix).
    bid_status: str = "FOUND"
    vat_registered: bool = True
    warning_listed: bool = False

    @property
    def prefix(self) -> str:
        return "".join(word[0] for word in self.who.name.split()[:2]).upper()


def _fi(name: str, base: str, account: str, **kw) -> Sender:
    bid = finnish_bid(base)
    digits = bid.replace("-", "")
    who = Who(name, bid, "FI", f"0037:0037{digits}", f"FI{digits}", iban("FI", account))
    return Sender(who, iban("FI", account[::-1]), **kw)


def _no(name: str, orgnr: str, account: str, **kw) -> Sender:
    who = Who(name, orgnr, "NO", f"0192:{orgnr}", f"NO{orgnr}MVA", iban("NO", account))
    return Sender(who, iban("NO", account[::-1]), **kw)


SENDERS = (
    _fi("Kattohuolto Virtanen Oy", "2345678", "15723500123456"),
    _fi("Sähköasennus Nieminen Oy", "1572860", "80001234567890"),
    _fi("Toimistotarvike Lahtinen Oy", "2781234", "40551012345678"),
    _fi("Siivouspalvelu Korhonen Oy", "3141593", "12345600000785"),
    _fi(
        "Rakennus Heinonen Oy",
        "2718282",
        "57230220123456",
        bid_status="PREPAYMENT_REGISTER_NOT_FOUND",
    ),
    _fi(
        "Pikaperintä ja Laskutus Tmi",
        "3333333",
        "31313130000123",
        vat_registered=False,
        warning_listed=True,
    ),
    _fi("Konepaja Kuusela Oy", "2000004", "47100012345678", bid_status="BANKRUPT"),
    _no("Bergen Rådgivning AS", "923456783", "15031234562"),
    _no("Fjellvann Transport AS", "987654325", "86011117947", bid_status="UNDER_LIQUIDATION"),
    Sender(
        Who(
            "Nordlys Bygg AB",
            "5567891234",
            "SE",
            "0007:5567891234",
            "SE556789123401",
            iban("SE", "50000000058398257466"),
        ),
        iban("SE", "50000000058398257467"),
    ),
    Sender(
        Who(
            "Kanaal Techniek B.V.",
            "34567890",
            "NL",
            "0106:34567890",
            "NL003456789B01",
            iban("NL", "ABNA0417164300"),
        ),
        iban("NL", "INGB0001234567"),
    ),
)
_BY_BID = {sender.who.bid: sender for sender in SENDERS}


def sender_for(bid: str, country: str = "") -> Sender | None:
    found = _BY_BID.get(bid.strip())
    return found if found and (not country or found.who.country == country) else None
