"""OP Laskulaina (invoice credit) in the sandbox: every wire name, and what the service does.

- ``PUT`` ``{contact_email, iban, bic, bank}`` starts onboarding: PENDING, with an
  ``activation_url`` (the sandbox's signing page, ``/sandbox/_control/op_credit/sign/<token>``,
  whose "Sign" button makes the service ACTIVE) and ``op_bank_details``: OP's account and the
  transfer clause to print on invoices. A PUT while ACTIVE only changes the details.
- The offer is ``OFFER``; ``POST .../settings`` accepts terms (the offer's interest rate, a
  payment percent of 1-100, a credit limit up to the offer's) and makes them current.
- Collateral: ``ADVANCE_RATE`` of the sum of the company's sent invoices (credit notes and
  failed sends left out, B2C ones too unless ``b2c_enabled``; an invoice paid directly is out).
  The sandbox does not age invoices: an invoice stays collateral after its due date.
- Available: the lesser of collateral and the credit limit, less what is withdrawn and not
  repaid. A withdrawal over it is refused 422 ``op_invoice_credit_insufficient_credit``.
- Repayments are the control API's (``POST _control/op_credit/repayments``): a customer paid.
"""

import re
import secrets
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from .models import Company, Invoice, OpCreditEntry, OpInvoiceCredit
from .receivables_fields import iban_ok
from .responses import BadRequest

NOT_ENABLED = "op_invoice_credit_not_enabled"
NO_STATEMENT = "op_invoice_credit_no_account_statement_found"
INSUFFICIENT = "op_invoice_credit_insufficient_credit"
ALREADY_DIRECT = "op_invoice_credit_direct_payment_exists"
INVOICE_NOT_FOUND = "invoice_not_found"

OP_BANK_DETAILS = {
    "iban": "FI4950009420028730",
    "bic": "OKOYFIHH",
    "transfer_clause": {
        "language_code": "FI",
        "content": "Tämä saatava on siirretty OP Yrityspankki Oyj:lle. Maksu vain alla "
        "olevalle tilille. / This receivable has been assigned to OP Corporate Bank plc. "
        "Pay only to the account below.",
    },
}
OFFER = {"b2c_enabled": False, "payment_percent": 100, "interest_rate": 5, "credit_limit": 50000.0}
ADVANCE_RATE = Decimal("0.80")
MAX_AMOUNT = Decimal("1000000000")
CENT = Decimal("0.01")
FIELDS = {"contact_email": 254, "iban": 34, "bic": 11, "bank": 200}

_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Refusal(Exception):
    """A refusal other than 400: its status and Maventa's code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_enabled(service: OpInvoiceCredit | None) -> Refusal:
    status = service.status if service else "DISABLED"
    return Refusal(404, NOT_ENABLED, f"The OP Laskulaina service is not enabled ({status})")


# Reading what is sent ------------------------------------------------------------------------


def parse_activation(data: dict[str, Any]) -> dict[str, str]:
    problems, values = [], {}
    for name, longest in FIELDS.items():
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} is missing")
            continue
        value = value.strip()
        if len(value) > longest:
            problems.append(f"{name} is longer than {longest} characters")
            continue
        if "\x00" in value:  # PostgreSQL text cannot hold it
            problems.append(f"{name} holds a NUL character")
            continue
        values[name] = value
    if "iban" in values:
        values["iban"] = values["iban"].replace(" ", "").upper()
        if not iban_ok(values["iban"]):
            problems.append("iban is not a valid IBAN")
    if "bic" in values:
        values["bic"] = values["bic"].upper()
        if not _BIC.match(values["bic"]):
            problems.append("bic is not a valid BIC")
    if "contact_email" in values and not _EMAIL.match(values["contact_email"]):
        problems.append("contact_email is not an email address")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return values


def parse_terms(data: dict[str, Any]) -> dict[str, Any]:
    problems = []
    b2c, percent = data.get("b2c_enabled"), data.get("payment_percent")
    rate, limit = data.get("interest_rate"), data.get("credit_limit")
    if not isinstance(b2c, bool):
        problems.append("b2c_enabled must be a boolean")
    if not _integer(percent) or not 1 <= percent <= 100:
        problems.append("payment_percent must be an integer from 1 to 100")
    if not _integer(rate) or rate != OFFER["interest_rate"]:
        problems.append(f"interest_rate must be the offer's, {OFFER['interest_rate']}")
    limit_value = _number(limit)
    if limit_value is None or not 0 <= limit_value <= Decimal(str(OFFER["credit_limit"])):
        problems.append(f"credit_limit must be a number from 0 to {OFFER['credit_limit']}")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return {
        "b2c_enabled": b2c,
        "payment_percent": percent,
        "interest_rate": rate,
        "credit_limit": float(limit_value),
    }


def parse_amount(raw: Any) -> Decimal:
    amount = _number(raw)
    if amount is None or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(CENT):
        raise BadRequest(
            "Invalid parameters",
            [f"amount must be a positive number of euros, at most {MAX_AMOUNT}, two decimals"],
        )
    return amount


def parse_invoice_id(raw: Any) -> uuid.UUID:
    if not isinstance(raw, str) or len(raw) > 64:
        raise BadRequest("Invalid parameters", ["invoice_id must be an invoice's UUID"])
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadRequest("Invalid parameters", ["invoice_id must be an invoice's UUID"]) from None


def parse_statement_day(raw: str | None) -> date:
    if not raw or len(raw) > 10:
        raise BadRequest("Invalid parameters", ["day must be a date, YYYY-MM-DD"])
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest("Invalid parameters", ["day must be a date, YYYY-MM-DD"]) from None


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > MAX_AMOUNT * 1000:
        return None
    return number


# What the service does -------------------------------------------------------------------------


def service_of(company: Company) -> OpInvoiceCredit | None:
    return OpInvoiceCredit.objects.filter(company=company).first()


def active_service(company: Company) -> OpInvoiceCredit:
    service = service_of(company)
    if service is None or service.status != OpInvoiceCredit.Status.ACTIVE:
        raise not_enabled(service)
    return service


def activate(company: Company, details: dict[str, str]) -> OpInvoiceCredit:
    service = service_of(company) or OpInvoiceCredit(
        company=company, channel_user_id=uuid.uuid4().hex
    )
    for name, value in details.items():
        setattr(service, name, value)
    if service.status != OpInvoiceCredit.Status.ACTIVE:
        service.status = OpInvoiceCredit.Status.PENDING
        service.sign_token = secrets.token_urlsafe(24)
    service.save()
    return service


def sign(token: str) -> OpInvoiceCredit | None:
    service = OpInvoiceCredit.objects.filter(sign_token=token).first()
    if service is not None and service.status == OpInvoiceCredit.Status.PENDING:
        service.status = OpInvoiceCredit.Status.ACTIVE
        service.signed_at = timezone.now()
        service.save(update_fields=["status", "signed_at", "updated_at"])
    return service


def accept_terms(company: Company, terms: dict[str, Any]) -> None:
    service = service_of(company)
    if service is None:
        raise not_enabled(service)
    service.terms = terms
    service.save(update_fields=["terms", "updated_at"])


def collateral(company: Company, b2c_enabled: bool) -> Decimal:
    invoices = Invoice.objects.filter(
        company=company, direction=Invoice.Direction.SENT, kind="INVOICE"
    ).exclude(status=Invoice.Status.FAILED)
    invoices = invoices.exclude(op_credit_entries__kind=OpCreditEntry.Kind.DIRECT_PAYMENT)
    if not b2c_enabled:
        invoices = invoices.exclude(recipient_bid="")
    total = invoices.aggregate(total=Sum("sum"))["total"] or Decimal(0)
    return (total * ADVANCE_RATE).quantize(CENT)


def withdrawn(company: Company) -> Decimal:
    kinds = OpCreditEntry.Kind
    sums = {
        kind: OpCreditEntry.objects.filter(company=company, kind=kind).aggregate(s=Sum("amount"))[
            "s"
        ]
        or Decimal(0)
        for kind in (kinds.WITHDRAWAL, kinds.REPAYMENT)
    }
    return max(Decimal(0), sums[kinds.WITHDRAWAL] - sums[kinds.REPAYMENT])


def balance(company: Company) -> dict[str, Any]:
    service = active_service(company)
    terms = service.terms or {}
    limit = Decimal(str(terms.get("credit_limit", 0))).quantize(CENT)
    security = collateral(company, bool(terms.get("b2c_enabled")))
    owed = withdrawn(company)
    available = max(Decimal(0), min(security, limit) - owed)
    rate = Decimal(terms.get("interest_rate", 0)) / 100
    today = date.today()
    interest = (owed * rate * today.day / 365).quantize(CENT)
    return {
        "available_credit_amount": float(available),
        "currency": "EUR",
        "current_month_interest": float(interest),
        "interest_balance": 0.0,
        "max_credit_amount": float(limit),
        "total_collateral_amount": float(security),
        "total_withdrawn": float(owed),
    }


def withdraw(company: Company, amount: Decimal) -> OpCreditEntry:
    with transaction.atomic():
        # One withdrawal at a time per company, so that two cannot both pass the check.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        available = Decimal(str(balance(company)["available_credit_amount"]))
        if amount > available:
            raise Refusal(
                422, INSUFFICIENT, f"The amount {amount} is more than the available {available}"
            )
        return OpCreditEntry.objects.create(
            company=company, kind=OpCreditEntry.Kind.WITHDRAWAL, amount=amount
        )


def pay_directly(company: Company, invoice_id: uuid.UUID) -> OpCreditEntry:
    active_service(company)
    invoice = Invoice.objects.filter(
        pk=invoice_id, company=company, direction=Invoice.Direction.SENT
    ).first()
    if invoice is None:
        raise Refusal(404, INVOICE_NOT_FOUND, f"No sent invoice {invoice_id}")
    if invoice.op_credit_entries.filter(kind=OpCreditEntry.Kind.DIRECT_PAYMENT).exists():
        raise Refusal(422, ALREADY_DIRECT, f"Invoice {invoice_id} is already paid directly")
    return OpCreditEntry.objects.create(
        company=company, kind=OpCreditEntry.Kind.DIRECT_PAYMENT, amount=invoice.sum, invoice=invoice
    )


def repay(company: Company, amount: Decimal) -> OpCreditEntry:
    return OpCreditEntry.objects.create(
        company=company, kind=OpCreditEntry.Kind.REPAYMENT, amount=amount
    )


# On the wire -----------------------------------------------------------------------------------


def as_service(service: OpInvoiceCredit, sign_url: str) -> dict[str, Any]:
    shown = {
        "status": service.status,
        "channel_user_id": service.channel_user_id,
        "contact_email": service.contact_email,
        "iban": service.iban,
        "bic": service.bic,
        "bank": service.bank,
        "op_bank_details": OP_BANK_DETAILS,
    }
    if service.status == OpInvoiceCredit.Status.PENDING:
        shown["activation_url"] = sign_url
    return shown


def as_settings(service: OpInvoiceCredit | None) -> dict[str, Any]:
    shown: dict[str, Any] = {"offer": OFFER}
    if service is not None and service.terms:
        shown["current"] = service.terms
    return shown
