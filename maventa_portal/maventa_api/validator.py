"""The Validator API: XML schema and schematron validation of a business document (API.md
"Validator API"; not in the AX schema). Token scope `validate`.

API.md gives no path and no answer. The path is the public clients' (`POST /v1/validate` on the
validator host, a multipart `file`; one older client posts to `/validate`), and the answer is
read leniently in `report_from_json`: the one place to correct both against Maventa's Swagger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .client import Api
from .files import multipart
from .scopes import VALIDATE_SCOPE

SCOPE = VALIDATE_SCOPE

# Severities that make a document invalid; others (warning, info) are advice.
BLOCKING = frozenset({"error", "fatal"})


@dataclass(frozen=True)
class Finding:
    rule_id: str = ""  # the schematron rule (e.g. BR-CO-15) or schema check
    severity: str = "error"  # lower-case: error, fatal, warning, info
    message: str = ""
    location: str = ""  # XPath or line, as given


@dataclass(frozen=True)
class ValidationReport:
    valid: bool
    findings: tuple[Finding, ...] = ()
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity in BLOCKING)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity not in BLOCKING)


def validate(api: Api, *, file: bytes, filename: str, format: str = "") -> ValidationReport:
    """`POST /v1/validate` (validator host, multipart) -> 200: the findings of the document."""
    parts = multipart([("file", filename, file)], [("format", format)])
    body = api.post(
        "/v1/validate", api="validator", files=parts, resource="document validation"
    ).body()
    return report_from_json(body)


# Where each finding's parts may be named; the first found wins.
_RULE = ("rule_id", "rule", "id", "code")
_SEVERITY = ("severity", "level", "flag", "type")
_MESSAGE = ("message", "text", "description", "error")
_LOCATION = ("location", "xpath", "path", "line")
_LISTS = {"errors": "error", "warnings": "warning", "findings": "", "results": "", "messages": ""}


def report_from_json(body: Any) -> ValidationReport:
    findings: list[Finding] = []
    if isinstance(body, list):
        findings = [_finding(item, "") for item in body]
    elif isinstance(body, dict):
        for key, severity in _LISTS.items():
            if isinstance(body.get(key), list):
                findings += [_finding(item, severity) for item in body[key]]
    stated = body.get("valid") if isinstance(body, dict) else None
    valid = (
        stated if isinstance(stated, bool) else not any(f.severity in BLOCKING for f in findings)
    )
    return ValidationReport(valid=valid, findings=tuple(findings), raw=body)


def _finding(item: Any, severity: str) -> Finding:
    if not isinstance(item, dict):
        return Finding(severity=severity or "error", message=str(item))
    return Finding(
        rule_id=_first(item, _RULE),
        severity=(_first(item, _SEVERITY) or severity or "error").lower(),
        message=_first(item, _MESSAGE),
        location=_first(item, _LOCATION),
    )


def _first(item: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = item.get(name)
        if value not in (None, ""):
            return str(value)
    return ""
