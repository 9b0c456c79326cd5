"""What staff do with an invoice after it moved: reroute a failed send, report a received
invoice as fraud, run Detect on it (FIELDS.md sections 5 and 8)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from companies.access import company_api
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import Refused
from maventa_portal.maventa_api import Conflict
from maventa_portal.maventa_api.ax import analysis as ax_analysis
from maventa_portal.maventa_api.ax import invoices as ax_invoices
from maventa_portal.maventa_api.ax import reports as ax_reports

from ..models import DetectResult, Direction, FraudReport, Invoice
from .mirror import apply_remote

NOT_FAILED = "Only a sent invoice that failed can be rerouted; this one is {status}."
NOT_RECEIVED = "Only received invoices can be {what}."
NOT_AT_MAVENTA = "This invoice has no Maventa id yet."


def _require(invoice: Invoice, direction: str, what: str) -> None:
    if invoice.direction != direction:
        raise Refused(NOT_RECEIVED.format(what=what))
    if invoice.maventa_id is None:
        raise Refused(NOT_AT_MAVENTA)


def reroute(
    *, invoice: Invoice, route: str, fields: dict[str, str], actor: Actor | None = None
) -> Invoice:
    """`PUT /v1/invoices/{id}/reroute/{route}`, then the invoice as Maventa now has it."""
    asked = {"route": route, "fields": sorted(fields)}
    with recording(actor, "invoice.reroute", target=invoice, asked=asked) as rec:
        if invoice.direction != Direction.SENT or invoice.status != Invoice.Status.FAILED:
            raise Refused(NOT_FAILED.format(status=invoice.get_status_display().lower()))
        if invoice.maventa_id is None:
            raise Refused(NOT_AT_MAVENTA)
        api = company_api(invoice.company, scope=ax_invoices.SCOPE)
        ax_invoices.reroute(api, invoice_id=str(invoice.maventa_id), route=route, **fields)
        apply_remote(invoice, ax_invoices.get_invoice(api, invoice_id=str(invoice.maventa_id)))
        rec.note = f"Rerouted by {route}; now {invoice.get_status_display().lower()}."
    return invoice


def report_fraud(
    *,
    invoice: Invoice,
    reasons: list[str],
    contact_email: str,
    description: str = "",
    actor: Actor | None = None,
) -> FraudReport:
    """`POST /v1/invoices/{id}/reports`; Maventa's 409 is kept as "already reported"."""
    asked = {"reasons": reasons, "description": bool(description)}
    with recording(actor, "invoice.report_fraud", target=invoice, asked=asked) as rec:
        _require(invoice, Direction.RECEIVED, "reported as fraud")
        api = company_api(invoice.company, scope=ax_reports.SCOPE)
        outcome = FraudReport.Outcome.REPORTED
        try:
            ax_reports.report_invoice(
                api,
                invoice_id=str(invoice.maventa_id),
                reason=reasons,
                contact_email=contact_email,
                description=description,
            )
        except Conflict:
            outcome = FraudReport.Outcome.ALREADY_REPORTED
        user = getattr(actor, "user", None)
        report = FraudReport.objects.create(
            invoice=invoice,
            reasons=reasons,
            contact_email=contact_email,
            description=description,
            outcome=outcome,
            reported_by=user if getattr(user, "pk", None) else None,
        )
        rec.note = report.get_outcome_display()
    return report


def run_detect(*, invoice: Invoice, checks: list[str], actor: Actor | None = None) -> int:
    """`POST /v1/analysis` for the chosen checks; the results as Maventa first answers."""
    with recording(actor, "invoice.detect", target=invoice, asked={"checks": checks}) as rec:
        _require(invoice, Direction.RECEIVED, "checked with Detect")
        api = company_api(invoice.company, scope=ax_analysis.SCOPE)
        started = ax_analysis.start_analysis(api, invoice_id=str(invoice.maventa_id), checks=checks)
        count = _store(invoice, started)
        rec.note = f"{count} checks started."
    return count


def refresh_detect(*, invoice: Invoice) -> int:
    """`GET /v1/analysis/{id}`: the latest results (a pending check moves on its own)."""
    api = company_api(invoice.company, scope=ax_analysis.SCOPE)
    return _store(invoice, ax_analysis.analysis_results(api, invoice_id=str(invoice.maventa_id)))


def _store(invoice: Invoice, analyses: list[Any]) -> int:
    with transaction.atomic():
        for analysis in analyses:
            if not analysis.analysis_type:
                continue
            result = analysis.analysis_result
            checked = parse_datetime(result.check_date) if result.check_date else None
            DetectResult.objects.update_or_create(
                invoice=invoice,
                check_name=analysis.analysis_type[:40],
                defaults={
                    "status": analysis.analysis_status[:20],
                    "result": result.status[:20],
                    "reason_code": result.reason_code[:80],
                    "text": result.text,
                    "checked_at": checked or timezone.now(),
                    "raw": {"title": analysis.analysis_title, "id": analysis.analysis_id},
                },
            )
    return len(analyses)
