"""The dashboard's figures, gathered from each app's ``dashboard.py`` hook.

Core may not import the apps, so each app answers ``figures(*, since, until, user)`` with a
list of ``Figure`` for what that user may view; the helpers below keep every hook to one
grouped query a chart, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncHour
from django.urls import reverse
from django.utils import timezone

from maventa_portal.core.attention import attention_count
from maventa_portal.core.registry import local_app_modules

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
WEBHOOK_HOURS = 48

Bucket = date | datetime
Series = list[tuple[Bucket, dict[str, int]]]


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    url: str
    value: int | None = None
    # Ordered (local day, or hour as an aware UTC datetime, {label: count}), every bucket of
    # the range present.
    series: Series | None = None


def period_days(raw: str | None) -> int:
    """The chosen period in days; anything but a known period falls back to the default."""
    try:
        days = int(raw or "")
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def period(days: int, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """From the start of the first local day of the period until now."""
    now = now or timezone.now()
    first = timezone.localdate(now) - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=_zone())
    return since, now


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def per_day(
    queryset: QuerySet, field: str, *, since: datetime, until: datetime, split: str, labels: dict
) -> Series:
    """Rows of ``queryset`` counted per local day of ``field``, one count per label.

    ``labels`` maps a label to the values of ``split`` it counts; one grouped query.
    """
    rows = _grouped(
        queryset.filter(**{f"{field}__gte": since, f"{field}__lte": until}),
        TruncDate(field, tzinfo=_zone()),
        split,
        labels,
    )
    first, last = timezone.localdate(since), timezone.localdate(until)
    buckets = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return _filled(buckets, rows, labels)


def per_hour(
    queryset: QuerySet, field: str, *, until: datetime, split: str, labels: dict
) -> Series:
    """Rows counted per local hour of ``field`` over the last ``WEBHOOK_HOURS`` hours."""
    # Kept in UTC, stepped in UTC: local times repeat an hour where DST ends, and equal
    # local wall-clock times compare equal whatever their fold.
    last = timezone.localtime(until, _zone()).replace(minute=0, second=0, microsecond=0)
    first = last.astimezone(UTC) - timedelta(hours=WEBHOOK_HOURS - 1)
    rows = _grouped(
        queryset.filter(**{f"{field}__gte": first, f"{field}__lte": until}),
        TruncHour(field, tzinfo=_zone()),
        split,
        labels,
    )
    buckets = [first + timedelta(hours=n) for n in range(WEBHOOK_HOURS)]
    return _filled(buckets, {key.astimezone(UTC): counts for key, counts in rows.items()}, labels)


def _grouped(queryset: QuerySet, bucket, split: str, labels: dict) -> dict:
    counts = {
        f"n{index}": Count("pk", filter=Q(**{f"{split}__in": values}))
        for index, values in enumerate(labels.values())
    }
    rows = queryset.order_by().annotate(bucket=bucket).values("bucket").annotate(**counts)
    return {
        row["bucket"]: {label: row[f"n{index}"] for index, label in enumerate(labels)}
        for row in rows
    }


def _filled(buckets: list, rows: dict, labels: dict) -> Series:
    empty = dict.fromkeys(labels, 0)
    return [(bucket, rows.get(bucket, empty)) for bucket in buckets]


def total(series: Series, label: str | None = None) -> int:
    """The sum over a series, of one label or of all."""
    return sum(
        counts.get(label, 0) if label else sum(counts.values()) for _bucket, counts in series
    )


def figures(*, since: datetime, until: datetime, user) -> list[Figure]:
    """Core's own hook: the needs-attention queue, counted over the kinds the user may view."""
    return [
        Figure("attention", "Needs attention", reverse("portal:attention"), attention_count(user))
    ]


def gather(*, since: datetime, until: datetime, user) -> list[Figure]:
    """Every app's figures for the period, core's first, then in ``LOCAL_APPS`` order."""
    found: list[Figure] = []
    for module in local_app_modules("dashboard"):
        found.extend(module.figures(since=since, until=until, user=user))
    return found
