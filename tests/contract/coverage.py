"""``make contract``: which of Maventa's operations the sandbox serves, the client calls, and the
last test run validated, with totals against targets; exits 1 when a target is missed.

Served: the sandbox's URLconf (``served.py``). Called: the client's call sites (``client_calls``).
Validated: ``.contract/seen.json``, written by the last test run that reached the sandbox
(``plugin.py``). Run as ``python -m tests.contract.coverage`` with the sandbox's settings.
"""

from __future__ import annotations

import json
import operator
import sys
from dataclasses import dataclass

from tests.contract import spec as ax
from tests.contract.client_calls import call_sites
from tests.contract.contract import effective_spec
from tests.contract.exceptions import REQUESTS, RESPONSES, departures
from tests.contract.plugin import SEEN_FILE
from tests.contract.scope import OTHER_APIS, UNUSED, unused_prefix
from tests.contract.served import served_routes

# Floors that only move up as the sandbox and the client grow (and the ceiling of operations
# ruled out, which only moves down): a drop is a regression.
SERVED_AT_LEAST = 66
CALLED_AT_LEAST = 65
UNUSED_AT_MOST = 37
OPS = {">=": operator.ge, "<=": operator.le, "=": operator.eq}


@dataclass
class Row:
    api: str
    label: str
    served: bool = False
    called: bool = False
    answered: str = "-"  # statuses the sandbox answered, checked
    requested: int = 0  # client requests checked
    note: str = ""


def _ax_rows(seen: dict) -> list[Row]:
    added = {}
    for side in (RESPONSES, REQUESTS):
        for method, path, _ in ax.operations(effective_spec(side)):
            added.setdefault(ax.label(method, path), path)
    schema_labels = {ax.label(m, p) for m, p, _ in ax.operations(ax.load())}
    served = {(r.method, ax.shape(r.template)) for r in served_routes() if r.api == "ax"}
    called = {(c.method, ax.shape(c.template)) for c in call_sites() if c.api == "ax"}
    rows = []
    for label, path in sorted(added.items(), key=lambda item: (item[1], item[0])):
        method = label.split(" ", 1)[0]
        key = (method, ax.shape(path))
        statuses = seen.get("responses", {}).get(label, {})
        note = unused_prefix(path) and f"of no use ({unused_prefix(path)}*)"
        if label not in schema_labels:
            note = "not in the schema: " + ", ".join(_departures_adding(label))
        rows.append(
            Row(
                "ax",
                label,
                served=key in served,
                called=key in called,
                answered=" ".join(sorted(statuses)) or "-",
                requested=seen.get("requests", {}).get(label, 0),
                note=note,
            )
        )
    known = {(r.label.split(" ", 1)[0], ax.shape(r.label.split(" ", 1)[1])) for r in rows}
    for key in sorted((served | called) - known):
        note = "NOT IN THE SCHEMA NOR IN exceptions.py"
        rows.append(Row("ax", " ".join(key), key in served, key in called, note=note))
    return rows


def _departures_adding(label: str) -> list[str]:
    names = []
    for side in (RESPONSES, REQUESTS):
        for departure in departures(side):
            if departure.patch is None or departure.name in names:
                continue
            schema = ax.load()
            departure.patch(schema)
            if label in {ax.label(m, p) for m, p, _ in ax.operations(schema)}:
                names.append(departure.name)
    return names


def _other_rows(seen: dict) -> list[Row]:
    served = {(r.api, r.method, ax.shape(r.template)) for r in served_routes()}
    called = {(c.api, c.method, ax.shape(c.template)) for c in call_sites()}
    rows = []
    for api, label, source in OTHER_APIS:
        method, _, path = label.partition(" ")
        key = (api, method, ax.shape(path))
        rows.append(Row(api, label, key in served, key in called, note=f"not AX ({source})"))
    return rows


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def render(rows: list[Row]) -> list[str]:
    header = ("api", "operation", "served", "called", "answers checked", "requests", "note")
    lines = [_line(*header)]
    for row in rows:
        requests = str(row.requested) if row.requested else "-"
        cells = (row.api, row.label, _yes(row.served), _yes(row.called), row.answered, requests)
        lines.append(_line(*cells, row.note))
    return lines


def _line(api, label, served, called, answered, requests, note) -> str:
    return (
        f"{api:<12} {label:<62} {served:<6} {called:<6} {answered:<19} {requests:<8} {note}"
    ).rstrip()


def footnotes(seen: dict) -> list[str]:
    lines = ["", "Of no use to the portal (tests/contract/scope.py):"]
    lines += [f"  {prefix}*  {reason}" for prefix, reason in UNUSED.items()]
    apis = sorted({api for api, _, _ in OTHER_APIS})
    counts = {api: 0 for api in apis}
    for key, count in seen.get("other_apis", {}).items():
        counts[key.split(" ", 1)[0]] = counts.get(key.split(" ", 1)[0], 0) + count
    lines.append(
        "Not AX, counted only: " + ", ".join(f"{a} {n} requests" for a, n in counts.items())
    )
    lines.append(f"Last test run: {seen['written_at']}, {seen['tests_collected']} tests collected")
    return lines


@dataclass(frozen=True)
class Total:
    label: str
    value: int
    out_of: int | None
    op: str
    limit: int

    @property
    def met(self) -> bool:
        return OPS[self.op](self.value, self.limit)

    def __str__(self) -> str:
        value = f"{self.value} / {self.out_of}" if self.out_of is not None else str(self.value)
        missed = "" if self.met else "  MISSED"
        return f"{self.label}  {value}  (target {self.op} {self.limit}){missed}"


def totals(rows: list[Row]) -> list[Total]:
    ax_rows = [r for r in rows if r.api == "ax"]
    served = [r for r in ax_rows if r.served]
    called = [r for r in ax_rows if r.called]
    in_schema = [r for r in ax_rows if not r.note.startswith(("not in", "NOT IN"))]
    unused = sum(r.note.startswith("of no use") for r in ax_rows)
    answered = sum(r.answered != "-" for r in served)
    requested = sum(r.requested > 0 for r in called)
    outside = sum(r.note.startswith("NOT IN") for r in ax_rows)
    return [
        Total("operations served by the sandbox", len(served), len(ax_rows), ">=", SERVED_AT_LEAST),
        Total("operations called by the client", len(called), len(ax_rows), ">=", CALLED_AT_LEAST),
        Total("served operations response-validated", answered, len(served), "=", len(served)),
        Total("called operations request-validated", requested, len(called), "=", len(called)),
        Total(
            "called operations the sandbox does not serve",
            sum(not r.served for r in called),
            None,
            "=",
            0,
        ),
        Total("served or called outside schema and exceptions", outside, None, "=", 0),
        Total(
            "schema operations of no use to the portal",
            unused,
            len(in_schema),
            "<=",
            UNUSED_AT_MOST,
        ),
    ]


def main() -> int:
    if not SEEN_FILE.exists():
        print(f"No record of a test run at {SEEN_FILE}: run make test first.")
        return 1
    seen = json.loads(SEEN_FILE.read_text())
    rows = _ax_rows(seen) + _other_rows(seen)
    print("\n".join(render(rows) + footnotes(seen)))
    print()
    results = totals(rows)
    print("\n".join(str(total) for total in results))
    return 0 if all(total.met for total in results) else 1


if __name__ == "__main__":
    import django

    django.setup()
    sys.exit(main())
