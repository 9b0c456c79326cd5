"""Detect: checks run on a received invoice (API.md "Detect"; FIELDS.md section 8).

Results come later: a start answers the checks as PENDING; `analysis_results` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..client import Api
from ..entities import Translation, from_json, list_from_json, many, query_params
from ..scopes import ANALYSIS_SCOPE

SCOPE = ANALYSIS_SCOPE

CHECKS = (
    "SUPPLIER_ACTIVATION",
    "BANK_ACCOUNT_CHANGED",
    "SENDER_BID_STATUS",
    "SENDER_WARNING_LIST",
    "VAT",
)
# analysis_status values, and analysis_result.status (FIELDS.md section 8, inferred mapping).
ANALYSIS_STATUSES = ("PENDING", "RUN_SUCCESSFUL", "RUN_FAILED", "NOT_APPLICABLE")
RESULT_STATUSES = ("OK", "WARNING", "FAILED", "NOT_APPLICABLE")


@dataclass(frozen=True)
class AnalysisResult:
    status: str = ""  # empty while pending
    reason_code: str = ""
    text: str = ""  # may hold placeholders such as %{bid}
    texts: tuple[Translation, ...] = ()
    check_date: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    analysis_id: str = ""
    analysis_type: str = ""  # the check
    analysis_status: str = ""
    analysis_title: str = ""
    analysis_titles: tuple[Translation, ...] = ()
    analysis_trigger_date: str = ""
    analysis_origin: str = ""
    analysis_result: AnalysisResult = AnalysisResult()


@dataclass(frozen=True)
class CheckSource:
    name: str = ""
    names: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class PossibleResult:
    status: str = ""
    result: str = ""
    reason: str = ""
    reason_code: str = ""


@dataclass(frozen=True)
class CheckDefinition:
    name: str = ""
    friendly_name: str = ""
    friendly_names: tuple[Translation, ...] = ()
    title: str = ""
    titles: tuple[Translation, ...] = ()
    description: str = ""
    descriptions: tuple[Translation, ...] = ()
    doc_description: str = ""
    resource_type: str = ""
    scope: str = ""
    scopes: tuple[str, ...] = ()
    sources: tuple[CheckSource, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    possible_results: tuple[PossibleResult, ...] = ()


@dataclass(frozen=True)
class CheckDefinitions:
    app_version: str = ""
    checks: tuple[CheckDefinition, ...] = ()


def start_analysis(api: Api, *, invoice_id: str, checks: Iterable[str]) -> list[Analysis]:
    """`POST /v1/analysis?resource_id=&resource_type=INVOICE&checks_to_run[]=` (no body) -> 201
    Analysis[], each PENDING."""
    to_run = many(checks)
    if not to_run:
        raise ValueError(f"start_analysis needs at least one check of {', '.join(CHECKS)}.")
    # Parameters in the query string, not a body (FIELDS.md section 8).
    params = query_params(
        ("resource_id", invoice_id), ("resource_type", "INVOICE"), ("checks_to_run[]", to_run)
    )
    body = api.post("/v1/analysis", params=params, resource="the invoice analysis").body()
    return list_from_json(Analysis, body)


def analysis_results(api: Api, *, invoice_id: str) -> list[Analysis]:
    """`GET /v1/analysis/{id}` -> 200 Analysis[]: the checks of one invoice (`{id}` is the
    invoice's, FIELDS.md section 8)."""
    body = api.get(
        f"/v1/analysis/{quote(invoice_id, safe='')}", resource="the invoice analysis"
    ).body()
    return list_from_json(Analysis, body)


def analysis_definitions(
    api: Api, *, checks: Iterable[str] = (), check_attributes: Iterable[str] = ()
) -> CheckDefinitions:
    """`GET /v1/analysis/definitions` (no token) -> 200 CheckDefinitions: what each check
    does and can answer."""
    params = query_params(
        ("checks[]", many(checks)), ("check_attributes[]", many(check_attributes))
    )
    body = api.get(
        "/v1/analysis/definitions", params=params, resource="the analysis definitions"
    ).body()
    return from_json(CheckDefinitions, body)
