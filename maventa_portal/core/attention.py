"""The needs-attention queue: what staff must act on, gathered from every app.

Each local app lists its kinds as ``KINDS`` in ``<app>/attention.py`` (found through
``registry.local_app_modules``), so core names no model of exchange or receivables. A kind is
two state-based queries, a count and one select of the oldest items up to a cap: an item
leaves the queue as soon as what it points at is fixed, and nothing is stored for the queue.
Core's own kind, bulk runs with failed items, is at the end of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from .registry import local_app_modules

# Items shown per kind; the rest is counted and linked ("and N more").
SHOWN_PER_KIND = 20  # the oldest of each kind; a longer list is scanned by nobody


@dataclass(frozen=True)
class AttentionItem:
    kind: str
    label: str
    company_name: str
    since: datetime | None
    url: str


@dataclass(frozen=True)
class AttentionKind:
    """One kind of item: ``count()`` and ``items(limit)`` (oldest first) query its state."""

    key: str
    title: str
    permission: str
    count: Callable[[], int]
    items: Callable[[int], list[AttentionItem]]
    # Where the whole filtered list is, for "and N more"; a callable so URLs resolve late.
    more_url: Callable[[], str] | None = None


@dataclass
class AttentionGroup:
    kind: AttentionKind
    count: int
    items: list[AttentionItem] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)

    @property
    def more_url(self) -> str:
        return self.kind.more_url() if self.kind.more_url else ""


def all_kinds() -> Iterator[AttentionKind]:
    for module in local_app_modules("attention"):
        yield from getattr(module, "KINDS", ())


def kinds_for(user) -> list[AttentionKind]:
    """The kinds whose model the user may view; nothing for a user who is not staff."""
    if not (user.is_active and user.is_staff):
        return []
    return [kind for kind in all_kinds() if user.has_perm(kind.permission)]


def queue(user, *, limit: int = SHOWN_PER_KIND) -> list[AttentionGroup]:
    """Every kind the user may view that has items, with its count and its oldest items."""
    groups = []
    for kind in kinds_for(user):
        count = kind.count()
        if count:
            groups.append(AttentionGroup(kind, count, kind.items(limit)))
    return groups


def attention_count(user) -> int:
    """How many items wait for the user, over every kind they may view (one count a kind)."""
    return sum(kind.count() for kind in kinds_for(user))


# Core's own kind: bulk runs with failed items that were neither retried (a retry puts them
# back to pending) nor taken into a new run of their own (a child run).
def _failed_runs():
    from .models import BulkItem, BulkRun

    failed = BulkItem.objects.filter(run=OuterRef("pk"), status=BulkItem.Status.FAILED)
    retried = BulkRun.objects.filter(parent=OuterRef("pk"))
    return BulkRun.objects.filter(Exists(failed)).exclude(Exists(retried))


def _run_items(limit: int) -> list[AttentionItem]:
    from .models import BulkItem

    runs = (
        _failed_runs()
        .annotate(failed=Count("items", filter=Q(items__status=BulkItem.Status.FAILED)))
        .order_by("created_at", "pk")[:limit]
    )
    return [
        AttentionItem(
            kind="bulk_runs",
            label=f"{run.title}: {run.failed} failed",
            company_name="",
            since=run.created_at,
            url=reverse("runs:progress", args=[run.pk]),
        )
        for run in runs
    ]


KINDS = [
    AttentionKind(
        key="bulk_runs",
        title="Bulk runs with failures",
        permission="core.view_bulkrun",
        count=lambda: _failed_runs().count(),
        items=_run_items,
        more_url=lambda: reverse("admin:core_bulkrun_changelist"),
    )
]
