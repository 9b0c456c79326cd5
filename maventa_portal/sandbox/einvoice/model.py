"""What the sandbox reads from an e-invoice or a document, whatever its format.

Format and kind names are Maventa's (FIELDS.md section 5 ``format``, section 6 DocType).
Amounts are signed as the document moves money to the seller: a credit note's are negative
(UBL credit notes state positive amounts and are negated when read).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

INVOICE_KINDS = ("INVOICE", "CREDIT_NOTE")


@dataclass(frozen=True)
class Detected:
    format: str  # FINVOICE30, PEPPOLBIS30, TEAPPS30, ...
    kind: str  # INVOICE, CREDIT_NOTE, ORDER, ...
    root: str
    customization: str = ""
    profile: str = ""
    version: str = ""

    @property
    def is_invoice(self) -> bool:
        return self.kind in INVOICE_KINDS


@dataclass(frozen=True)
class Party:
    name: str = ""
    bid: str = ""
    eia: str = ""  # scheme:identifier when the file gives a scheme, else the identifier
    country: str = ""
    vat: str = ""
    bank_account: str = ""


@dataclass(frozen=True)
class EInvoice:
    detected: Detected
    number: str
    currency: str
    sum: Decimal  # without VAT
    sum_tax: Decimal  # with VAT
    seller: Party
    buyer: Party
    date: datetime.date | None = None
    date_due: datetime.date | None = None
    reference: str = ""  # the payment reference


@dataclass(frozen=True)
class DocumentInfo:
    """A document's number and parties, as far as its format says (orders: the buyer sends)."""

    detected: Detected
    number: str = ""
    sender: Party = field(default_factory=Party)
    recipient: Party = field(default_factory=Party)
