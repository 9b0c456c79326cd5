"""OP Laskulaina (invoice credit) of a company: onboarding, terms, withdrawals, direct payments
and the day's account statement. Maventa holds the service; the portal keeps the withdrawals
staff asked for, so that one confirmation withdraws once and an unanswered one is not lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.access import company_api
from companies.models import Company
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import PortalError, staff_message_of
from maventa_portal.maventa_api.ax import op_invoice_credit as op
from maventa_portal.maventa_api.errors import MaventaError, RateLimited, Unavailable

from ..models import CreditWithdrawal

State = CreditWithdrawal.State
UNKNOWN_MESSAGE = (
    "Maventa did not answer: the withdrawal of {amount} EUR may or may not have been made. "
    "Check the available credit before trying again."
)
NO_STATEMENT = "OP has no account statement of {company} for {day}."


class OutcomeUnknown(PortalError):
    refusal = False


class NoStatement(PortalError):
    pass


@dataclass(frozen=True)
class CreditState:
    service: op.OPInvoiceCredit
    settings: op.Settings
    available: op.AvailableCredit | None  # only while ACTIVE


def _api(company: Company):
    return company_api(company, scope=op.SCOPE)


def read_credit_state(*, company: Company) -> CreditState:
    api = _api(company)
    service = op.get_op_credit(api)
    settings = op.op_credit_settings(api)
    available = op.available_credit(api) if service.status == "ACTIVE" else None
    return CreditState(service=service, settings=settings, available=available)


def read_available_credit(*, company: Company) -> op.AvailableCredit:
    return op.available_credit(_api(company))


def activate(*, company: Company, fields: dict, actor: Actor | None = None) -> op.OPInvoiceCredit:
    asked = {name: fields.get(name, "") for name in ("bank", "bic", "contact_email")}
    with recording(actor, "credit.activate", target=company, company=company, asked=asked) as rec:
        service = op.activate_op_credit(_api(company), **fields)
        rec.note = f"status {service.status}"
    return service


def accept_terms(*, company: Company, terms: op.Terms, actor: Actor | None = None) -> None:
    asked = {
        "b2c_enabled": terms.b2c_enabled,
        "payment_percent": terms.payment_percent,
        "interest_rate": terms.interest_rate,
        "credit_limit": str(terms.credit_limit),
    }
    with recording(actor, "credit.accept_terms", target=company, company=company, asked=asked):
        op.accept_op_credit_terms(
            _api(company),
            b2c_enabled=terms.b2c_enabled,
            payment_percent=terms.payment_percent,
            interest_rate=terms.interest_rate,
            credit_limit=terms.credit_limit,
        )


def pay_directly(*, company: Company, invoice_id: str, actor: Actor | None = None) -> None:
    asked = {"invoice_id": invoice_id}
    with recording(actor, "credit.direct_payment", target=company, company=company, asked=asked):
        op.pay_directly(_api(company), invoice_id=invoice_id)


def withdraw(
    *,
    company: Company,
    amount: Decimal,
    request_key: str,
    available_then: Decimal | None = None,
    actor: Actor | None = None,
) -> tuple[CreditWithdrawal, bool]:
    """``(withdrawal, sent)``: ``sent`` is False when this key was used already, and nothing
    is sent again. Raises when Maventa refuses (the withdrawal FAILED) or does not answer
    (``OutcomeUnknown``, the withdrawal UNKNOWN)."""
    row, created = _claim(company, amount, request_key, available_then, actor)
    if not created:
        return row, False
    asked = {"amount": f"{amount:.2f}", "request_key": request_key}
    try:
        with recording(actor, "credit.withdraw", target=row, company=company, asked=asked) as rec:
            op.withdraw_credit(_api(company), amount=amount)
            rec.note = f"{amount:.2f} EUR withdrawn"
    except Unavailable as exc:
        if isinstance(exc, RateLimited):  # refused before any work: nothing happened
            _finish(row, State.FAILED, staff_message_of(exc))
            raise
        message = UNKNOWN_MESSAGE.format(amount=f"{amount:.2f}")
        _finish(row, State.UNKNOWN, message)
        raise OutcomeUnknown(message) from exc
    except (MaventaError, PortalError) as exc:
        _finish(row, State.FAILED, staff_message_of(exc))
        raise
    _finish(row, State.DONE, "")
    return row, True


def fetch_statement(*, company: Company, day: date) -> bytes:
    found = op.account_statement(_api(company), day=day)
    if found is None:
        raise NoStatement(NO_STATEMENT.format(company=company.name, day=day.isoformat()))
    return found


def _claim(company, amount, request_key, available_then, actor):
    user = actor.user if actor is not None else None
    try:
        with transaction.atomic():
            return CreditWithdrawal.objects.get_or_create(
                request_key=request_key,
                defaults={
                    "company": company,
                    "amount": amount,
                    "available_then": available_then,
                    "requested_by": user,
                },
            )
    except IntegrityError:  # the same key sent at the same moment: the other one sends
        return CreditWithdrawal.objects.get(request_key=request_key), False


def _finish(row: CreditWithdrawal, state_: str, message: str) -> None:
    row.state, row.message, row.finished_at = state_, message[:500], timezone.now()
    row.save(update_fields=["state", "message", "finished_at"])
