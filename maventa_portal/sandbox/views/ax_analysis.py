"""Detect (FIELDS.md section 8): checks run on an invoice, and their definitions.

- ``POST /v1/analysis?resource_id=&resource_type=INVOICE&checks_to_run[]=`` (query string, no
  body) -> 201 Analysis[] (PENDING); 400 for a missing or unknown parameter; 404 for an
  invoice the company does not have.
- ``GET /v1/analysis/{id}`` -> 200 Analysis[]: ``{id}`` is the invoice (the resource) and the
  answer its latest run of each check (FIELDS.md: "most likely the resource id"); an analysis
  id is read too, answering that one. Each stays PENDING for the exchange's
  ``analysis_seconds``, then shows its result.
- ``GET /v1/analysis/definitions`` (no token) -> 200 CheckDefinitions; ``checks[]`` and
  ``check_attributes[]`` narrow it.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import detect, detect_texts, invoices, params
from ..auth import bearer
from ..exchange_schedule import exchange_schedule
from ..models import Analysis, Invoice
from ..responses import error, isoformat, json_response
from .exchange_common import exchange

CHECKS = detect_texts.CHECK_NAMES


def as_analysis(analysis: Analysis, invoice: Invoice, *, pending: bool = False) -> dict[str, Any]:
    title = detect_texts.title_of(analysis.check_name)
    body: dict[str, Any] = {
        "analysis_id": str(analysis.pk),
        "analysis_type": analysis.check_name,
        "analysis_title": title,
        "analysis_titles": [{"lang": "en", "value": title}],
        "analysis_trigger_date": isoformat(analysis.triggered_at),
    }
    if invoice.origin:
        body["analysis_origin"] = invoice.origin
    if pending or timezone.now() < analysis.ready_at:
        code = f"{analysis.check_name}_PENDING"
        text = detect_texts.reason_text(analysis.check_name, code, {})
        return body | {
            "analysis_status": "PENDING",
            "analysis_result": {
                "text": text,
                "texts": [{"lang": "en", "value": text}],
                "reason_code": code,
            },
        }
    return body | {
        "analysis_status": analysis.status,
        "analysis_result": {
            "status": analysis.result,
            "text": analysis.text,
            "texts": [{"lang": "en", "value": analysis.text}],
            "reason_code": analysis.reason_code,
            "check_date": isoformat(analysis.ready_at),
            "data": analysis.data,
        },
    }


@bearer
@exchange
def run_analysis(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    resource_id = request.GET.get("resource_id", "").strip()
    if not resource_id:
        problems.append("resource_id is missing")
    resource_type = request.GET.get("resource_type", "")
    if not resource_type:
        problems.append("resource_type is missing")
    else:
        params.one_of(resource_type, ("INVOICE",), "resource_type", problems)
    checks = params.listed(request, "checks_to_run")
    if not checks:
        problems.append("checks_to_run is missing")
    for check in checks:
        params.one_of(check, CHECKS, "checks_to_run", problems)
    params.raise_if(problems)
    invoice = invoices.find_invoice(request.sandbox_company, resource_id)
    if invoice is None:
        return error(404, "not_found", f"Resource {resource_id} not found or no access")
    now = timezone.now()
    ready = now + timedelta(seconds=exchange_schedule.config.analysis_seconds)
    made = []
    for check in dict.fromkeys(checks):
        outcome = detect.run_check(check, invoice)
        made.append(
            Analysis.objects.create(
                invoice=invoice,
                check_name=check,
                status=outcome.status,
                result=outcome.result,
                reason_code=outcome.reason_code,
                text=detect_texts.reason_text(check, outcome.reason_code, outcome.data)[:500],
                data=outcome.data,
                triggered_at=now,
                ready_at=ready,
            )
        )
    # "Analysis was triggered and the status is pending" (the schema's 201).
    return json_response([as_analysis(a, invoice, pending=True) for a in made], status=201)


@bearer
@exchange
def analysis_results(request: HttpRequest, resource_id: str) -> HttpResponse:
    try:
        pk = uuid.UUID(resource_id)
    except ValueError:
        return error(404, "not_found", f"Resource {resource_id} not found or no access")
    company = request.sandbox_company
    invoice = company.invoices.filter(pk=pk).first()
    if invoice is not None:
        latest: dict[str, Analysis] = {}
        for analysis in invoice.analyses.order_by("triggered_at", "id"):
            latest[analysis.check_name] = analysis
        found = sorted(latest.values(), key=lambda a: CHECKS.index(a.check_name))
        return json_response([as_analysis(a, invoice) for a in found])
    one = Analysis.objects.filter(pk=pk, invoice__company=company).select_related("invoice")
    analysis = one.first()
    if analysis is None:
        return error(404, "not_found", f"Resource {resource_id} not found or no access")
    return json_response([as_analysis(analysis, analysis.invoice)])


def definitions(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    checks = params.listed(request, "checks")
    for check in checks:
        params.one_of(check, CHECKS, "checks", problems)
    attributes = params.listed(request, "check_attributes")
    for attribute in attributes:
        params.one_of(attribute, detect_texts.ATTRIBUTES, "check_attributes", problems)
    if problems:
        return error(400, "invalid_parameters", "Invalid parameters", problems)
    chosen = [name for name in CHECKS if not checks or name in checks]
    return json_response(
        {
            "app_version": detect_texts.APP_VERSION,
            "checks": [detect_texts.definition(name, attributes) for name in chosen],
        }
    )
