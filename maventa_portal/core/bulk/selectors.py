"""Reads of the bulk engine: a run's exact counts and its items, failures first."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from ..models import BulkItem, BulkRun

Status = BulkItem.Status
ITEMS_PER_PAGE = 100
# Failures first: they are what staff act on; then what is still moving; then the rest.
_STATUS_ORDER = Case(
    When(status=Status.FAILED, then=Value(0)),
    When(status=Status.RUNNING, then=Value(1)),
    When(status=Status.PENDING, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def counts(run: BulkRun) -> dict[str, int]:
    """Exact counts by status; ``done_percent`` and ``failed_percent`` share the bar."""
    found = run.items.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Status.DONE)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        running=Count("pk", filter=Q(status=Status.RUNNING)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )
    total = found["total"]
    found["finished"] = found["done"] + found["failed"]
    found["open"] = found["running"] + found["pending"]
    found["done_percent"] = _percent(found["done"], total)
    found["failed_percent"] = _percent(found["failed"], total)
    found["percent"] = _percent(found["finished"], total) if total else 100
    return found


def _percent(part: int, total: int) -> int:
    # Floor, so that 24 of 25 never shows as 100% and a bar never overflows.
    return (100 * part) // total if total else 0


def items_in_order(run: BulkRun) -> QuerySet[BulkItem]:
    return run.items.annotate(rank=_STATUS_ORDER).order_by("rank", "position", "pk")


def items_page(run: BulkRun, number: int | str | None) -> Page:
    return Paginator(items_in_order(run), ITEMS_PER_PAGE).get_page(number)
