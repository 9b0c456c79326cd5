"""The kinds of bulk work: each app declares its own in ``<app>/bulk_kinds.py`` as ``KINDS``.

A kind says how to do one item (``handle``), who may start and see its runs, how many of its
items may run at once, and where an item's object is shown. The engine does everything else:
claiming under leases, attempts, 429 rescheduling, the sweeper, the progress page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms

    from ..audit import Actor
    from ..models import BulkItem, BulkRun


@dataclass(frozen=True)
class Outcome:
    """What a handler reports for its item: the line staff read, and what it made."""

    message: str
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkKind:
    name: str
    # "Registering PEPPOL profiles": the run page's heading is built from the options.
    describe: Callable[[dict[str, Any]], str]
    # Does one item: returns an Outcome, or raises a staff error (the item fails with its
    # message) or RateLimited (the item waits for Retry-After). ``actor`` acts for the run.
    handle: Callable[[BulkItem, BulkRun, Actor], Outcome]
    start_permission: str
    view_permission: str
    # Items of this kind running at once, across its runs; None: settings.BULK_CONCURRENCY.
    concurrency: int | None = None
    # Where staff see an item's object; None when it has none.
    object_url: Callable[[BulkItem], str | None] = lambda item: None
    # The options staff may change when retrying (a form class), or None.
    options_form: type[forms.Form] | None = None
    # A result file offered on the run page: (file name, rows) from the run's items.
    result_csv: Callable[[BulkRun], tuple[list[str], list[list[str]]]] | None = None
    # What "Retry failed" and "New run from failed" are called for this kind.
    item_noun: str = "item"
    items_noun: str = "items"


class UnknownKind(LookupError):
    pass


@cache
def _registry() -> dict[str, BulkKind]:
    from ..registry import local_app_modules

    kinds: dict[str, BulkKind] = {}
    for module in local_app_modules("bulk_kinds"):
        for kind in module.KINDS:
            if kind.name in kinds:
                raise ValueError(f"Two bulk kinds are named {kind.name}.")
            kinds[kind.name] = kind
    return kinds


def bound(kind: BulkKind) -> int:
    from django.conf import settings

    return kind.concurrency or settings.BULK_CONCURRENCY


def get_kind(name: str) -> BulkKind:
    try:
        return _registry()[name]
    except KeyError as exc:
        raise UnknownKind(f"No bulk kind is named {name!r}.") from exc


def all_kinds() -> list[BulkKind]:
    return list(_registry().values())
