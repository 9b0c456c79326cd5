"""What the portal reads from an e-invoice, whatever its format.

Formats and document kinds carry Maventa's own spellings (``../shared/maventa/FIELDS.md``
section 5, the ``format`` of POST /v1/invoices, and section 6, the document ``type``), so a
value can be passed to Maventa or compared with what it reports as it is.

Sign convention: amounts are signed as the document moves money from the buyer to the
seller. An invoice's payable amount is positive; a credit note's is negative. UBL credit notes
state positive amounts, so the parser negates every amount of one (totals, VAT breakdown,
line net amounts) and its line quantities, keeping quantity x price = net amount; unit prices
keep their sign, as a price is never negative. Finvoice and TEAPPSXML credit notes already
carry minus signs; one written with a positive total is negated the same way.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0")


class InvoiceFormat(StrEnum):
    """Maventa's names of the formats read here (FIELDS.md section 5, POST /v1/invoices)."""

    FINVOICE13 = "FINVOICE13"
    FINVOICE20 = "FINVOICE20"
    FINVOICE30 = "FINVOICE30"
    PEPPOLBIS20 = "PEPPOLBIS20"
    PEPPOLBIS30 = "PEPPOLBIS30"
    EHF20 = "EHF20"
    # Maventa names EHF 3.0 only as a profile version (orders, catalogues, ...): EHF Billing
    # 3.0 invoices are Peppol BIS Billing 3.0 documents and are PEPPOLBIS30 here too.
    EHF30 = "EHF30"
    TEAPPS27 = "TEAPPS27"
    TEAPPS30 = "TEAPPS30"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    InvoiceFormat.FINVOICE13: "Finvoice 1.3",
    InvoiceFormat.FINVOICE20: "Finvoice 2.0",
    InvoiceFormat.FINVOICE30: "Finvoice 3.0",
    InvoiceFormat.PEPPOLBIS20: "Peppol BIS 2.0",
    InvoiceFormat.PEPPOLBIS30: "Peppol BIS 3.0",
    InvoiceFormat.EHF20: "EHF 2.0",
    InvoiceFormat.EHF30: "EHF 3.0",
    InvoiceFormat.TEAPPS27: "TEAPPSXML 2.7",
    InvoiceFormat.TEAPPS30: "TEAPPSXML 3.0",
}


class DocumentKind(StrEnum):
    """Maventa's document types (FIELDS.md section 6, DocType), those met in these formats."""

    INVOICE = "INVOICE"
    CREDIT_NOTE = "CREDIT_NOTE"
    ORDER = "ORDER"
    ORDER_RESPONSE = "ORDER_RESPONSE"
    CATALOGUE = "CATALOGUE"
    CATALOGUE_RESPONSE = "CATALOGUE_RESPONSE"
    DESPATCH_ADVICE = "DESPATCH_ADVICE"
    REMINDER = "REMINDER"
    INVOICE_RESPONSE = "INVOICE_RESPONSE"
    MESSAGE_LEVEL_RESPONSE = "MESSAGE_LEVEL_RESPONSE"
    UNKNOWN = "UNKNOWN"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").lower()

    @property
    def is_invoice(self) -> bool:
        return self in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)


@dataclass(frozen=True)
class DetectedFormat:
    """What a file is, read from its root element and identifiers only."""

    format: InvoiceFormat
    kind: DocumentKind
    root: str  # the root element's local name: "Invoice", "Finvoice", "INVOICE_CENTER"...
    customization_id: str = ""  # UBL's CustomizationID; empty for the other formats
    version: str = ""  # the version the file states (Finvoice, TEAPPSXML)
    type_code: str = ""  # the document's own type code (380, INV02, 01...), as written

    @property
    def is_invoice(self) -> bool:
        return self.kind.is_invoice


@dataclass(frozen=True)
class ElectronicAddress:
    """An e-invoice address; ``scheme`` is its ISO 6523 code ("0037", "0192"...) if known."""

    identifier: str
    scheme: str = ""

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}" if self.scheme else self.identifier


@dataclass(frozen=True)
class PostalAddress:
    lines: tuple[str, ...] = ()
    postal_code: str = ""
    city: str = ""
    country: str = ""  # ISO 3166 alpha-2, as written


@dataclass(frozen=True)
class Party:
    name: str = ""
    business_id: str = ""  # legal registration (Y-tunnus, organisasjonsnummer...)
    vat_id: str = ""
    electronic_address: ElectronicAddress | None = None
    address: PostalAddress = PostalAddress()

    @property
    def country(self) -> str:
        return self.address.country


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    net_amount: Decimal
    description: str = ""
    quantity: Decimal | None = None
    unit: str = ""  # UN/ECE rec. 20 code where the format has one, else the sender's unit
    unit_price: Decimal | None = None  # net price per ``base_quantity`` units
    base_quantity: Decimal | None = None  # None: the price is per one unit
    vat_category: str = ""  # UNTDID 5305: S, Z, E, AE, K, G, O, L, M
    vat_percent: Decimal | None = None


@dataclass(frozen=True)
class VatBreakdown:
    category: str
    percent: Decimal | None
    taxable_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class Totals:
    """Document totals (EN 16931 BT-106 to BT-115); what a document omits is zero."""

    line_extension: Decimal
    tax_exclusive: Decimal
    tax: Decimal
    tax_inclusive: Decimal
    payable: Decimal
    allowances: Decimal = ZERO
    charges: Decimal = ZERO
    prepaid: Decimal = ZERO
    rounding: Decimal = ZERO


@dataclass(frozen=True)
class Payment:
    reference: str = ""  # the creditor reference to quote when paying (viitenumero, RF...)
    account: str = ""  # the payee's account: an IBAN in Finvoice and most UBL
    bic: str = ""


@dataclass(frozen=True)
class InvoiceSummary:
    """One invoice or credit note; see the module docstring for the sign of amounts."""

    format: InvoiceFormat
    kind: DocumentKind
    number: str
    issue_date: datetime.date
    currency: str
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    vat: tuple[VatBreakdown, ...]
    totals: Totals
    due_date: datetime.date | None = None
    payment: Payment = Payment()
    buyer_reference: str = ""
    order_reference: str = ""  # the buyer's purchase order (BT-13)
    sales_order_reference: str = ""  # the seller's order (BT-14), UBL only

    def negated(self) -> InvoiceSummary:
        """The same document with every amount and quantity negated (prices kept)."""
        return dataclasses.replace(
            self,
            lines=tuple(
                dataclasses.replace(
                    line,
                    net_amount=_negate(line.net_amount),
                    quantity=None if line.quantity is None else _negate(line.quantity),
                )
                for line in self.lines
            ),
            vat=tuple(
                dataclasses.replace(
                    v, taxable_amount=_negate(v.taxable_amount), tax_amount=_negate(v.tax_amount)
                )
                for v in self.vat
            ),
            totals=Totals(
                **{
                    f.name: _negate(getattr(self.totals, f.name))
                    for f in dataclasses.fields(Totals)
                }
            ),
        )


def _negate(value: Decimal) -> Decimal:
    # Subtracting from zero, not unary minus: a zero stays "0", never "-0".
    return ZERO - value
