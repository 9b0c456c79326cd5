"""Companies from a CSV file: one row per company, created on Maventa or linked.

The file is checked as a whole first (encoding, header, size); then every row is created or
linked on its own, each with its own audit entry, and refused rows say why. A row is never
half-read: extra cells, NUL bytes and over-long values are refused before any call.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from dataclasses import dataclass

from maventa_portal.core.audit import Actor, record
from maventa_portal.core.errors import STAFF_ERRORS, Refused, staff_message_of

from ..models import Company
from .onboarding import create_company, link_company

log = logging.getLogger(__name__)

CSV_MISSING_COLUMNS = "The CSV file lacks the columns: {columns}."
CSV_TOO_MANY_ROWS = "The CSV file has more than {limit} rows; split it."
CSV_NOT_TEXT = "The file is not a UTF-8 CSV file."
CSV_UNREADABLE = "The file cannot be read as CSV: {reason}."
CSV_EXTRA_CELLS = "This row has {count} cells, more than the {columns} columns of the header."
CSV_CONTROL_CHARACTER = "This row contains a NUL byte or another control character; remove it."
CSV_MAX_ROWS = 1000
CSV_REQUIRED_COLUMNS = ("name", "bid", "country")
CREATE_COLUMNS = ("email", "address1", "post_code", "post_office", "city")
# The csv module's default cell limit is 128 KiB; no company field comes near 1 KiB.
CSV_MAX_CELL = 4096


@dataclass(frozen=True)
class RowResult:
    line: int
    outcome: str  # "created", "linked" or "refused"
    name: str
    message: str
    company: Company | None = None


def _rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(CSV_NOT_TEXT) from exc
    csv.field_size_limit(CSV_MAX_CELL)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise Refused(CSV_UNREADABLE.format(reason=exc)) from exc
    if not rows:
        return [], []
    header = [cell.strip().lower() for cell in rows[0]]
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if len(body) > CSV_MAX_ROWS:
        raise Refused(CSV_TOO_MANY_ROWS.format(limit=CSV_MAX_ROWS))
    return header, body


def import_companies_csv(*, data: bytes, actor: Actor | None = None) -> list[RowResult]:
    """One row per company: with maventa_id and api_key it is linked, otherwise created."""
    header, rows = _rows(data)
    columns = set(header)
    missing = [c for c in CSV_REQUIRED_COLUMNS if c not in columns]
    if header and missing and not {"maventa_id", "api_key"} <= columns:
        raise Refused(CSV_MISSING_COLUMNS.format(columns=", ".join(missing)))
    actor = actor or Actor()
    results = [
        _import_row(line, header, cells, actor.but(via=f"CSV import, line {line}"))
        for line, cells in enumerate(rows, start=2)
    ]
    counts = Counter(result.outcome for result in results)
    record(
        actor=actor,
        event="company.import",
        target=Company,
        asked={"rows": len(rows)},
        reason=", ".join(f"{counts[k]} {k}" for k in ("created", "linked", "refused")),
        description=f"CSV import of {len(rows)} rows",
    )
    return results


def _import_row(line: int, header: list[str], cells: list[str], actor: Actor) -> RowResult:
    if len(cells) > len(header):
        return RowResult(
            line, "refused", "", CSV_EXTRA_CELLS.format(count=len(cells), columns=len(header))
        )
    row = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
    name = row.get("name", "")
    if any("\x00" in value for value in row.values()):
        return RowResult(line, "refused", name.replace("\x00", ""), CSV_CONTROL_CHARACTER)
    try:
        if row.get("maventa_id") and row.get("api_key"):
            company = link_company(
                maventa_id=row["maventa_id"], api_key=row["api_key"], actor=actor
            )
            return RowResult(
                line, "linked", company.name, f"Linked as {company.maventa_id}.", company
            )
        company = create_company(
            actor=actor,
            name=name,
            bid=row.get("bid", ""),
            country=row.get("country", ""),
            **{column: row.get(column, "") for column in CREATE_COLUMNS},
        )
        return RowResult(
            line, "created", company.name, f"Created as {company.maventa_id}.", company
        )
    except STAFF_ERRORS as exc:
        log.info("CSV line %d refused: %s", line, staff_message_of(exc))
        return RowResult(line, "refused", name, staff_message_of(exc))
