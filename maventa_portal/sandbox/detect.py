"""Detect: the five checks run on an invoice, and their definitions (FIELDS.md section 8).

Each check decides from the invoice and the sandbox's own records, deterministically:

- SUPPLIER_ACTIVATION: scanned invoices only; a sender the sandbox can reach electronically
  (a receiver in the lookup directory, or a sender of e-invoices to this company) could send
  e-invoices (WARNING), else OK;
- BANK_ACCOUNT_CHANGED: the sender's account against the accounts on this company's earlier
  invoices from the same sender: none earlier is UNKNOWN (WARNING), another one CHANGED
  (WARNING), a known one NOT_CHANGED (OK), none on the invoice NOT_APPLICABLE;
- SENDER_BID_STATUS: FI and NO senders only; an invalid business id is INVALID_BID, else what
  ``registry`` says (FOUND, or FI's PREPAYMENT_REGISTER_FOUND, unless listed otherwise);
- SENDER_WARNING_LIST: Maventa's list (``registry``), and senders reported by users (fraud
  reports, section 5), which are USER_REPORTED_FOUND;
- VAT: less than one unit of VAT is NO_VAT_CHARGED; no VAT number INVALID_INPUT; else the
  register's answer.

A result's text fills the definition's ``%{...}`` placeholders.
"""

from dataclasses import dataclass
from typing import Any

from . import directory, registry
from .models import FraudReport, Invoice

RUN, NA = "RUN_SUCCESSFUL", "NOT_APPLICABLE"
OK, WARNING = "OK", "WARNING"


@dataclass(frozen=True)
class Outcome:
    status: str
    result: str
    reason_code: str
    data: dict[str, Any]


def _outcome(status: str, result: str, code: str, **data: Any) -> Outcome:
    return Outcome(status, result, code, {k: v for k, v in data.items() if v not in ("", None)})


def supplier_activation(invoice: Invoice) -> Outcome:
    prefix = "SUPPLIER_ACTIVATION_"
    if invoice.origin != Invoice.Origin.SCAN:
        return _outcome(NA, NA, prefix + "INVOICE_NOT_FROM_SCAN")
    if not invoice.sender_bid:
        return _outcome(RUN, WARNING, prefix + "INVALID_INPUT")
    electronic = any(p.bid == invoice.sender_bid for p in directory.all_participants())
    electronic = (
        electronic
        or invoice.company.invoices.filter(
            sender_bid=invoice.sender_bid, direction=Invoice.Direction.RECEIVED
        )
        .exclude(origin=Invoice.Origin.SCAN)
        .exists()
    )
    if electronic:
        return _outcome(
            RUN, WARNING, prefix + "COMPANY_CAN_SEND_ELECTRONIC", bid=invoice.sender_bid
        )
    return _outcome(RUN, OK, prefix + "COMPANY_CAN_ONLY_SEND_SCAN", bid=invoice.sender_bid)


def bank_account_changed(invoice: Invoice) -> Outcome:
    prefix = "BANK_ACCOUNT_CHANGED_"
    account = invoice.sender_bank_account
    if not account:
        return _outcome(NA, NA, prefix + "NO_BANK_ACCOUNTS")
    if not (invoice.sender_bid or invoice.sender_name):
        return _outcome(RUN, WARNING, prefix + "INVALID_INPUT", bank_account=account)
    earlier = (
        invoice.company.invoices.filter(direction=invoice.direction)
        .filter(sender_bid=invoice.sender_bid, sender_name=invoice.sender_name)
        .filter(created_at__lt=invoice.created_at)
        .exclude(sender_bank_account="")
    )
    known = sorted(set(earlier.values_list("sender_bank_account", flat=True)))
    if not known:
        return _outcome(RUN, WARNING, prefix + "UNKNOWN", bank_account=account)
    if account in known:
        return _outcome(RUN, OK, prefix + "NOT_CHANGED", bank_account=account)
    return _outcome(
        RUN, WARNING, prefix + "CHANGED", bank_account=account, previous_bank_accounts=known
    )


def sender_bid_status(invoice: Invoice) -> Outcome:
    prefix = "SENDER_BID_STATUS_"
    country, bid = invoice.sender_country, invoice.sender_bid
    if country not in ("FI", "NO"):
        return _outcome(NA, NA, prefix + "COUNTRY_NOT_SUPPORTED", country=country)
    if not bid:
        return _outcome(RUN, WARNING, prefix + "NOT_FOUND_NO_BID")
    valid = registry.finnish_bid_is_valid if country == "FI" else registry.norwegian_orgnr_is_valid
    if not valid(bid):
        return _outcome(RUN, WARNING, prefix + "INVALID_BID", bid=bid)
    sender = registry.sender_for(bid, country)
    found = "PREPAYMENT_REGISTER_FOUND" if country == "FI" else "FOUND"
    status = found if sender is None or sender.bid_status == "FOUND" else sender.bid_status
    result = OK if status in ("FOUND", "PREPAYMENT_REGISTER_FOUND") else WARNING
    registry_name = "YTJ" if country == "FI" else "Brønnøysundregistrene"
    return _outcome(RUN, result, prefix + status, bid=bid, registry_name=registry_name)


def sender_warning_list(invoice: Invoice) -> Outcome:
    prefix = "SENDER_WARNING_LIST_"
    if not (invoice.sender_bid or invoice.sender_name):
        return _outcome(RUN, WARNING, prefix + "INVALID_INPUT")
    sender = registry.sender_for(invoice.sender_bid)
    if sender is not None and sender.warning_listed:
        return _outcome(RUN, WARNING, prefix + "FOUND", bid=invoice.sender_bid)
    reports = FraudReport.objects.filter(sender_bid=invoice.sender_bid)
    if invoice.sender_bid and reports.exists():
        return _outcome(
            RUN,
            WARNING,
            prefix + "USER_REPORTED_FOUND",
            bid=invoice.sender_bid,
            reports=reports.count(),
        )
    return _outcome(RUN, OK, prefix + "NOT_FOUND", bid=invoice.sender_bid)


def vat(invoice: Invoice) -> Outcome:
    charged = abs(invoice.sum_tax - invoice.sum)
    if charged < 1:
        return _outcome(NA, NA, "VAT_NO_VAT_CHARGED")
    if not invoice.sender_vat:
        return _outcome(RUN, WARNING, "VAT_INVALID_INPUT")
    sender = registry.sender_for(invoice.sender_bid)
    if sender is not None and not sender.vat_registered:
        return _outcome(RUN, WARNING, "VAT_COMPANY_NOT_REGISTERED", vat=invoice.sender_vat)
    registry_name = "Brønnøysundregistrene" if invoice.sender_country == "NO" else "VIES"
    return _outcome(
        RUN, OK, "VAT_COMPANY_REGISTERED", vat=invoice.sender_vat, registry_name=registry_name
    )


CHECKS = {
    "SUPPLIER_ACTIVATION": supplier_activation,
    "BANK_ACCOUNT_CHANGED": bank_account_changed,
    "SENDER_BID_STATUS": sender_bid_status,
    "SENDER_WARNING_LIST": sender_warning_list,
    "VAT": vat,
}


def run_check(name: str, invoice: Invoice) -> Outcome:
    return CHECKS[name](invoice)
