"""What ``seed_load`` hands each app's ``load.py``, and the tools they share.

Rows are written with ``bulk_create`` in batches, bypassing ``save()``, signals and the audit
trail: the point is volume, fast. Every run is deterministic: each app draws from its own
``random.Random`` seeded with the run's seed, its own name and how many rows of the kind already
exist, so that a second run adds new, distinct rows instead of repeating the first run's ids.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models
from django.utils import timezone

# Every loaded company is marked by this e-mail domain (reserved, it never delivers): it is how
# the loaders find them again and how --reset tells them from real ones.
LOAD_EMAIL_DOMAIN = "load.invalid"
DAYS = 90


@dataclass(frozen=True)
class LoadPlan:
    invoices: int
    companies: int
    documents: int
    events: int
    print_batches: int
    threads: int
    assignments: int
    seed: int = 19
    batch_size: int = 5000
    now: datetime | None = None

    @classmethod
    def for_invoices(cls, invoices: int, **overrides) -> LoadPlan:
        """The other kinds in the proportions a partner's portal has them."""
        counts = {
            "invoices": invoices,
            "companies": 300,
            "documents": invoices // 10,
            "events": invoices // 5,
            "print_batches": invoices // 200,
            "threads": invoices // 50,
            "assignments": invoices // 20,
        }
        counts.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**counts)

    def rng(self, name: str, existing: int) -> random.Random:
        return random.Random(f"{self.seed}:{name}:{existing}")  # noqa: S311 - not for secrets

    def moment(self, rng: random.Random) -> datetime:
        """A time in the last DAYS days."""
        now = self.now or timezone.now()
        return now - timedelta(seconds=rng.randrange(DAYS * 24 * 3600))


def uuid_from(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def insert(model: type[models.Model], rows: Iterable[models.Model], batch_size: int) -> int:
    """``bulk_create`` in batches; returns how many rows were written."""
    written, batch = 0, []
    stamped = [f.attname for f in _auto_times(model)]
    now = timezone.now()
    with timestamps_as_given(model), sqlite_full_batches():
        for row in rows:
            for attname in stamped:
                if getattr(row, attname) is None:
                    setattr(row, attname, now)
            batch.append(row)
            if len(batch) >= batch_size:
                written += len(model.objects.bulk_create(batch))
                batch = []
        if batch:
            written += len(model.objects.bulk_create(batch))
    return written


@contextlib.contextmanager
def timestamps_as_given(model: type[models.Model]) -> Iterator[None]:
    """``auto_now``/``auto_now_add`` off for the load: the rows keep the times drawn for them,
    spread over the period, instead of all being made "now"."""
    fields = _auto_times(model)
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextlib.contextmanager
def sqlite_full_batches() -> Iterator[None]:
    """Django assumes SQLite's old limit of 999 parameters a statement (24 invoices an INSERT);
    the SQLite Python ships allows far more, which makes the load several times faster."""
    features = connection.features
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    saved = features.max_query_params
    features.max_query_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    try:
        yield
    finally:
        features.max_query_params = saved


def _auto_times(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def raw_delete(queryset: models.QuerySet) -> int:
    """Deletes without loading the rows or sending signals (no audit entry per loaded row);
    the caller deletes dependent rows first."""
    return queryset._raw_delete(queryset.db)


def pick(rng: random.Random, weighted: Iterable[tuple[str, int]]) -> str:
    """One of the values, drawn with its weight."""
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]
