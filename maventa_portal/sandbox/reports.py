"""Fraud reports on received invoices (FIELDS.md section 5, "Fraud / spam reports").

The reported party is the invoice's sender company; a company reports a sender once (409
"company already reported", whichever of the sender's invoices it reports), and sees its own
reports of that sender on any of the sender's invoices (404 when there is none). Only a
received invoice can be reported: a sent one answers 403, one of the statuses the operation
documents. The criteria are the ten reason codes of ``PostV1InvoicesIdReports``.
"""

from typing import Any

from django.db import transaction

from .models import Company, FraudReport, Invoice
from .responses import isoformat

# (code, friendly name, explanation)
CRITERIA = (
    (
        "NONEXISTENT_PRODUCT",
        "Nonexistent product",
        "The invoice bills for something never ordered.",
    ),
    (
        "OFFERS_AS_INVOICES",
        "Offer disguised as invoice",
        "An offer or a marketing letter made to look like an invoice.",
    ),
    ("UNKNOWN_COMPANY", "Unknown company", "The sender is not a company we deal with."),
    (
        "INVOICE_NOT_FOLLOWING_LAW",
        "Invoice not following the law",
        "Mandatory invoice details are missing.",
    ),
    (
        "MISLEADING_NAME",
        "Misleading name",
        "The sender's name imitates a known company or authority.",
    ),
    ("IMPOSSIBLE_TO_CONTACT", "Impossible to contact", "The sender cannot be reached."),
    ("MISLEADING_MARKETING", "Misleading marketing", "The sale was made with misleading claims."),
    (
        "COMPANY_NOT_FOLLOWING_LAW",
        "Company not following the law",
        "The sender neglects its legal duties.",
    ),
    (
        "KNOWN_FOR_FRAUD_ATTEMPTS",
        "Known for fraud attempts",
        "The sender is known for fraud attempts.",
    ),
    (
        "KNOWN_FOR_SUSPICIOUS_ACTIVITIES",
        "Known for suspicious activities",
        "The sender is known for suspicious activities.",
    ),
)
REASONS = tuple(code for code, _, _ in CRITERIA)
DISCLAIMER = (
    "Reports help Maventa warn other users about suspicious senders. A report is not a "
    "complaint to the sender, and it does not cancel the invoice."
)
ALREADY_REPORTED = "{company} has already reported {sender}"
SENT_INVOICE = "Only received invoices can be reported"


class AlreadyReported(Exception):
    pass


def as_criteria(criteria: tuple[str, str, str]) -> dict[str, Any]:
    code, friendly, text = criteria
    return {
        "name": code,
        "friendly_name": friendly,
        "friendly_names": [{"lang": "en", "value": friendly}],
        "text": text,
        "texts": [{"lang": "en", "value": text}],
    }


def definitions() -> dict[str, Any]:
    return {
        "criteria": [as_criteria(c) for c in CRITERIA],
        "disclaimer_text": DISCLAIMER,
        "disclaimer_texts": [{"lang": "en", "value": DISCLAIMER}],
    }


def as_report(report: FraudReport) -> dict[str, Any]:
    by_code = {c[0]: c for c in CRITERIA}
    body = {
        "id": str(report.pk),
        "company_bid": report.sender_bid,
        "company_name": report.sender_name,
        "company_country_code": report.sender_country,
        "company_bank_account": report.sender_bank_account,
        "reporter_user_id": report.reporter_user_id,
        "reporter_contact_email": report.contact_email,
        "invoice_id": str(report.invoice_id),
        "reasons": [as_criteria(by_code[code]) for code in report.reasons if code in by_code],
        "additional_explanation": report.description,
        "report_date": isoformat(report.created_at),
    }
    return {name: value for name, value in body.items() if value != ""}


def reports_of_sender(reporter: Company, invoice: Invoice):
    """This company's reports of the invoice's sender, on whichever invoice they were made."""
    found = FraudReport.objects.filter(reporter=reporter)
    if invoice.sender_bid:
        return found.filter(sender_bid=invoice.sender_bid, sender_country=invoice.sender_country)
    return found.filter(sender_bid="", sender_name=invoice.sender_name)


def report(
    *,
    reporter: Company,
    invoice: Invoice,
    user_id: str,
    reasons: list[str],
    contact_email: str,
    description: str,
) -> FraudReport:
    with transaction.atomic():
        if reports_of_sender(reporter, invoice).exists():
            raise AlreadyReported(
                ALREADY_REPORTED.format(
                    company=reporter.name, sender=invoice.sender_name or invoice.sender_bid
                )
            )
        return FraudReport.objects.create(
            invoice=invoice,
            reporter=reporter,
            reporter_user_id=user_id,
            contact_email=contact_email,
            reasons=list(dict.fromkeys(reasons)),
            description=description,
            sender_bid=invoice.sender_bid,
            sender_name=invoice.sender_name,
            sender_country=invoice.sender_country,
            sender_bank_account=invoice.sender_bank_account,
        )
