"""OP Laskulaina, OP's invoice credit (FIELDS.md section 9): the company's sent invoices serve as
collateral for a credit account it withdraws from; its customers pay into OP's account, which
repays the credit.

Scope `company` (Maventa's default scope covers it). Every path sits in the table of helpers
below. `GET` of the service answers 404 `op_invoice_credit_not_enabled` until onboarding starts:
read here as the DISABLED state. A day without an account statement answers 404
`op_invoice_credit_no_account_statement_found`: read here as None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import receivables as _accounts
from ..client import Api
from ..entities import from_json
from ..errors import NotFound, refused_here

SCOPE = "company"

STATUSES = ("DISABLED", "ACTIVE", "PENDING")
NOT_ENABLED = "op_invoice_credit_not_enabled"
NO_STATEMENT = "op_invoice_credit_no_account_statement_found"

BAD_IBAN = "The IBAN {iban!r} is not valid (its checksum or format is wrong)."
BAD_BIC = "The BIC {bic!r} is not valid (8 or 11 letters and digits)."
MISSING = "OP Laskulaina needs these fields: {fields}."
BAD_AMOUNT = "The amount must be a positive number of euros with at most two decimals."
BAD_TERMS = "The terms need a payment percent of 1-100, an interest rate and a credit limit >= 0."
NO_INVOICE = "Give the id of the invoice to pay directly."


# The table of endpoints, one helper per path, each named once in the package so that the
# contract reader (tests/contract/client_calls.py) rebuilds it. All on the AX host:
#   PUT GET  /v1/services/op_invoice_credit
#   GET      /v1/services/op_invoice_credit/offer
#   GET POST /v1/services/op_invoice_credit/settings
#   GET      /v1/services/op_invoice_credit/available_credit
#   POST     /v1/services/op_invoice_credit/withdrawal
#   POST     /v1/services/op_invoice_credit/direct_payment
#   GET      /v1/services/op_invoice_credit/account_statement?day=
def op_credit_path() -> str:
    return "/v1/services/op_invoice_credit"


def op_credit_offer_path() -> str:
    return "/v1/services/op_invoice_credit/offer"


def op_credit_settings_path() -> str:
    return "/v1/services/op_invoice_credit/settings"


def op_credit_available_path() -> str:
    return "/v1/services/op_invoice_credit/available_credit"


def op_credit_withdrawal_path() -> str:
    return "/v1/services/op_invoice_credit/withdrawal"


def op_credit_direct_payment_path() -> str:
    return "/v1/services/op_invoice_credit/direct_payment"


def op_credit_statement_path() -> str:
    return "/v1/services/op_invoice_credit/account_statement"


@dataclass(frozen=True)
class TransferClause:
    language_code: str = ""
    content: str = ""


@dataclass(frozen=True)
class OPBankDetails:
    """OP's account and the transfer clause to print on the company's invoices."""

    iban: str = ""
    bic: str = ""
    transfer_clause: TransferClause = TransferClause()


@dataclass(frozen=True)
class OPInvoiceCredit:
    status: str = "DISABLED"
    channel_user_id: str = ""
    contact_email: str = ""
    iban: str = ""
    bic: str = ""
    bank: str = ""
    activation_url: str = ""  # where the company signs the agreement
    op_bank_details: OPBankDetails = OPBankDetails()

    @property
    def enabled(self) -> bool:
        return self.status in ("ACTIVE", "PENDING")


@dataclass(frozen=True)
class Terms:
    b2c_enabled: bool = False  # B2C invoices count toward the credit
    payment_percent: int = 100  # share of each payment used to repay
    interest_rate: int = 0  # percent
    credit_limit: float = 0.0


@dataclass(frozen=True)
class Settings:
    current: Terms | None = None  # None until terms are accepted
    offer: Terms | None = None


@dataclass(frozen=True)
class AvailableCredit:
    available_credit_amount: float = 0.0
    currency: str = "EUR"
    current_month_interest: float = 0.0
    interest_balance: float = 0.0
    max_credit_amount: float = 0.0
    total_collateral_amount: float = 0.0
    total_withdrawn: float = 0.0
    raw: Any = field(default=None, repr=False, compare=False)


def euros(amount: Decimal | float | int | str) -> float:
    """A positive amount with at most two decimals, as the float the body carries."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise refused_here(BAD_AMOUNT, BAD_AMOUNT) from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise refused_here(BAD_AMOUNT, BAD_AMOUNT)
    return float(value)


def activation_payload(*, contact_email: str, iban: str, bic: str, bank: str) -> dict[str, str]:
    """The PUT body, refused here (`Invalid`) when Maventa would refuse it."""
    payload = {
        "contact_email": (contact_email or "").strip(),
        "iban": _accounts.normalized_iban(iban),
        "bic": (bic or "").strip().upper(),
        "bank": (bank or "").strip(),
    }
    missing = [name for name, value in payload.items() if not value]
    if missing:
        message = MISSING.format(fields=", ".join(missing))
        raise refused_here(message, message)
    if not _accounts.iban_is_valid(iban):
        message = BAD_IBAN.format(iban=iban)
        raise refused_here(message, message)
    if not _accounts.bic_is_valid(bic):
        message = BAD_BIC.format(bic=bic)
        raise refused_here(message, message)
    return payload


def activate_op_credit(
    api: Api, *, contact_email: str, iban: str, bic: str, bank: str
) -> OPInvoiceCredit:
    """`PUT /v1/services/op_invoice_credit` -> 200 OPInvoiceCredit: starts onboarding."""
    payload = activation_payload(contact_email=contact_email, iban=iban, bic=bic, bank=bank)
    body = api.put(op_credit_path(), json=payload, resource="OP Laskulaina").body()
    return _service(body)


def get_op_credit(api: Api) -> OPInvoiceCredit:
    """`GET /v1/services/op_invoice_credit` -> 200 OPInvoiceCredit; 404 not enabled: DISABLED."""
    try:
        body = api.get(op_credit_path(), resource="OP Laskulaina").body()
    except NotFound as exc:
        if exc.code == NOT_ENABLED:
            return OPInvoiceCredit(status="DISABLED")
        raise
    return _service(body)


def op_credit_offer(api: Api) -> Terms:
    """`GET /v1/services/op_invoice_credit/offer` -> 200 Terms: OP's offer before activation."""
    return from_json(Terms, api.get(op_credit_offer_path(), resource="the OP offer").body())


def op_credit_settings(api: Api) -> Settings:
    """`GET /v1/services/op_invoice_credit/settings` -> 200 `{current: Terms, offer: Terms}`."""
    body = api.get(op_credit_settings_path(), resource="the OP terms").body() or {}
    current, offer = body.get("current"), body.get("offer")
    return Settings(
        current=from_json(Terms, current) if current else None,
        offer=from_json(Terms, offer) if offer else None,
    )


def accept_op_credit_terms(
    api: Api, *, b2c_enabled: bool, payment_percent: int, interest_rate: int, credit_limit: float
) -> None:
    """`POST /v1/services/op_invoice_credit/settings` -> 201: these terms become current."""
    try:
        limit = float(credit_limit)
        percent, rate = int(payment_percent), int(interest_rate)
    except (TypeError, ValueError):
        raise refused_here(BAD_TERMS, BAD_TERMS) from None
    if not (1 <= percent <= 100) or rate < 0 or not math.isfinite(limit) or limit < 0:
        raise refused_here(BAD_TERMS, BAD_TERMS)
    payload = {
        "b2c_enabled": bool(b2c_enabled),
        "payment_percent": percent,
        "interest_rate": rate,
        "credit_limit": limit,
    }
    api.post(op_credit_settings_path(), json=payload, resource="the OP terms")


def available_credit(api: Api) -> AvailableCredit:
    """`GET /v1/services/op_invoice_credit/available_credit` -> 200 AvailableCredit."""
    body = api.get(op_credit_available_path(), resource="the available credit").body()
    item = from_json(AvailableCredit, body)
    object.__setattr__(item, "raw", body)
    return item


def withdraw_credit(api: Api, *, amount: Decimal | float | str) -> None:
    """`POST /v1/services/op_invoice_credit/withdrawal` -> 201: `amount` EUR withdrawn."""
    payload = {"amount": euros(amount)}
    api.post(op_credit_withdrawal_path(), json=payload, resource="a credit withdrawal")


def pay_directly(api: Api, *, invoice_id: str) -> None:
    """`POST /v1/services/op_invoice_credit/direct_payment` -> 201: the invoice is paid to the
    sender directly, not to the credit account."""
    if not str(invoice_id or "").strip():
        raise refused_here(NO_INVOICE, NO_INVOICE)
    payload = {"invoice_id": str(invoice_id).strip()}
    api.post(op_credit_direct_payment_path(), json=payload, resource="a direct payment")


def account_statement(api: Api, *, day: date | str) -> bytes | None:
    """`GET /v1/services/op_invoice_credit/account_statement?day=` -> 200 SEPA XML (bytes);
    None when OP has no statement for that day."""
    text = day.isoformat() if isinstance(day, date) else str(day)
    try:
        response = api.get(
            op_credit_statement_path(), params={"day": text}, resource="the account statement"
        )
    except NotFound as exc:
        if exc.code == NO_STATEMENT:
            return None
        raise
    return response.content


def _service(body: Any) -> OPInvoiceCredit:
    return from_json(OPInvoiceCredit, body)
