"""Companies from a CSV file: one row per company, created on Maventa or linked, as a bulk run.

The file is read and checked as a whole in the request (encoding, header, size); each row then
becomes an item of a run (``bulk_kinds.IMPORT_CSV``) that workers create or link on their
own, each with its own audit entry. Rows that can be refused from the file alone (extra cells,
NUL bytes, a business id twice in the file) start the run already refused, with the reason.
API keys of rows to link travel encrypted in the item.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError

from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.runs import ItemSpec, start_run
from maventa_portal.core.errors import Refused
from maventa_portal.core.models import BulkRun

from ..bids import normalise_bid

CSV_MISSING_COLUMNS = "The CSV file lacks the columns: {columns}."
CSV_TOO_MANY_ROWS = "The CSV file has more than {limit} rows; split it."
CSV_NOT_TEXT = "The file is not a UTF-8 CSV file."
CSV_UNREADABLE = "The file cannot be read as CSV: {reason}."
CSV_NO_ROWS = "The CSV file has no rows."
CSV_EXTRA_CELLS = "This row has {count} cells, more than the {columns} columns of the header."
CSV_CONTROL_CHARACTER = "This row contains a NUL byte or another control character; remove it."
CSV_DUPLICATE = "Line {line} of the file already has this {what}; each company once."
CSV_MAX_ROWS = 1000
CSV_REQUIRED_COLUMNS = ("name", "bid", "country")
# The csv module's default cell limit is 128 KiB; no company field comes near 4 KiB.
CSV_MAX_CELL = 4096


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header (lower case) and the non-empty rows; refuses a file unusable as a whole."""
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
        raise Refused(CSV_NO_ROWS)
    header = [cell.strip().lower() for cell in rows[0]]
    columns = set(header)
    missing = [c for c in CSV_REQUIRED_COLUMNS if c not in columns]
    if missing and not {"maventa_id", "api_key"} <= columns:
        raise Refused(CSV_MISSING_COLUMNS.format(columns=", ".join(missing)))
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise Refused(CSV_NO_ROWS)
    if len(body) > CSV_MAX_ROWS:
        raise Refused(CSV_TOO_MANY_ROWS.format(limit=CSV_MAX_ROWS))
    return header, body


def import_companies_csv(
    *, data: bytes, file_name: str = "", actor: Actor | None = None, request_key: str = ""
) -> BulkRun:
    """Starts the run that creates or links one company per row; returns it."""
    header, rows = read_rows(data)
    seen: dict[tuple[str, ...], int] = {}
    items = [_item(line, header, cells, seen) for line, cells in enumerate(rows, start=2)]
    return start_run(
        kind="companies.import_csv",
        options={"file_name": file_name[:200], "rows": len(items)},
        items=items,
        actor=actor,
        request_key=request_key,
    )


def _item(line: int, header: list[str], cells: list[str], seen: dict) -> ItemSpec:
    row = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
    api_key = row.pop("api_key", "")
    refused = ""
    if len(cells) > len(header):
        refused = CSV_EXTRA_CELLS.format(count=len(cells), columns=len(header))
    elif any("\x00" in value for value in (*row.values(), api_key)):
        refused = CSV_CONTROL_CHARACTER
        row = {key: value.replace("\x00", "") for key, value in row.items()}
        api_key = ""
    else:
        refused = _duplicate(line, row, seen)
    label = row.get("name") or row.get("maventa_id") or f"line {line}"
    return ItemSpec(
        label=f"{line}: {label}",
        payload={"line": line, "row": row},
        secret="" if refused else api_key,
        position=line,
        refused=refused,
    )


def _duplicate(line: int, row: dict[str, str], seen: dict) -> str:
    if row.get("maventa_id"):
        key, what = ("maventa_id", row["maventa_id"].lower()), "Maventa company id"
    else:
        country = row.get("country", "").upper()
        try:
            bid = normalise_bid(row.get("bid", ""), country)
        except ValidationError:  # the row's own refusal, which its item gives
            return ""
        key, what = ("bid", country, bid), "business id"
    if key in seen:
        return CSV_DUPLICATE.format(line=seen[key], what=what)
    seen[key] = line
    return ""
