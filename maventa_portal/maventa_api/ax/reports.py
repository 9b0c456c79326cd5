"""Fraud reports on received invoices (API.md "Invoices"; FIELDS.md section 5, "Fraud / spam
reports"). The reported party is the invoice's sender company; a company reports it once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ..client import Api
from ..entities import Translation, from_json, list_from_json, many
from ..errors import Conflict, NotFound, refused_here
from ..scopes import INVOICE_SCOPES

SCOPE = INVOICE_SCOPES

REPORT_REASONS = (
    "NONEXISTENT_PRODUCT",
    "OFFERS_AS_INVOICES",
    "UNKNOWN_COMPANY",
    "INVOICE_NOT_FOLLOWING_LAW",
    "MISLEADING_NAME",
    "IMPOSSIBLE_TO_CONTACT",
    "MISLEADING_MARKETING",
    "COMPANY_NOT_FOLLOWING_LAW",
    "KNOWN_FOR_FRAUD_ATTEMPTS",
    "KNOWN_FOR_SUSPICIOUS_ACTIVITIES",
)
ALREADY_REPORTED = "This invoice was already reported by this company."
REPORT_NEEDS = "A fraud report needs at least one reason and a contact email."


@dataclass(frozen=True)
class Criterion:
    """A reason a report may give: `name` is the code sent as `reason`."""

    name: str = ""
    friendly_name: str = ""
    friendly_names: tuple[Translation, ...] = ()
    text: str = ""
    texts: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class ReportDefinitions:
    criteria: tuple[Criterion, ...] = ()
    disclaimer_text: str = ""
    disclaimer_texts: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class UserReport:
    id: str = ""
    invoice_id: str = ""
    company_bid: str = ""
    company_name: str = ""
    company_country_code: str = ""
    company_bank_account: str = ""
    reporter_user_id: str = ""
    reporter_contact_email: str = ""
    reasons: tuple[Criterion, ...] = ()
    additional_explanation: str = ""  # the `description` sent
    report_date: str = ""


def _reports_path(invoice_id: str) -> str:
    return f"/v1/invoices/{quote(invoice_id, safe='')}/reports"


def report_definitions(api: Api) -> ReportDefinitions:
    """`GET /v1/invoices/reports/definitions` (no token) -> 200: the reasons and disclaimer."""
    body = api.get("/v1/invoices/reports/definitions", resource="the report definitions").body()
    return from_json(ReportDefinitions, body)


def list_reports(api: Api, *, invoice_id: str) -> list[UserReport]:
    """`GET /v1/invoices/{id}/reports` -> 200 UserReport[]; its 404 "no user report found"
    reads as none."""
    try:
        body = api.get(_reports_path(invoice_id), resource="the invoice's reports").body()
    except NotFound:
        return []
    return list_from_json(UserReport, body)


def report_invoice(
    api: Api,
    *,
    invoice_id: str,
    reason: Iterable[str],
    contact_email: str,
    description: str = "",
) -> None:
    """`POST /v1/invoices/{id}/reports` -> 204; 409 when this company reported it already."""
    reasons = many(reason)
    if not reasons or not contact_email.strip():
        raise refused_here(REPORT_NEEDS, REPORT_NEEDS)
    payload = {"reason": reasons, "contact_email": contact_email.strip()}
    if description:
        payload["description"] = description
    try:
        api.post(_reports_path(invoice_id), json=payload, resource="the invoice's reports")
    except Conflict as exc:
        exc.staff_message = ALREADY_REPORTED
        raise


def delete_report(api: Api, *, invoice_id: str, report_id: str) -> None:
    """`DELETE /v1/invoices/{id}/reports/{report_id}` -> 204."""
    api.delete(
        f"{_reports_path(invoice_id)}/{quote(report_id, safe='')}",
        resource="the invoice's report",
    )
