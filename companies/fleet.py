"""The fleet view's columns that other apps own, gathered without importing those apps.

``companies`` must not import ``exchange`` or ``receivables``; each of them instead ships
``<app>/fleet.py`` with

- ``annotations(now) -> dict[str, Expression]``: expressions on the Company queryset (a
  ``Subquery`` over its own models with ``OuterRef("pk")``), one value per company, so that a
  page of the list stays one query however many rows it shows;
- ``COLUMNS``: ``FleetColumn``s naming those annotations, how to show and link them;
- optionally ``filters() -> list[FleetFilter]``: filters written on those annotations.

An app joins by adding the module (``core.registry.local_app_modules("fleet")``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from django.db.models import Expression, Q

from maventa_portal.core.registry import local_app_modules


@dataclass(frozen=True)
class FleetColumn:
    key: str  # the annotation it shows; also its sort key when sortable
    label: str
    sortable: bool = True
    kind: str = "text"  # "count", "datetime" or "text"
    # The page where the figure is fixed or explained, from the company's pk.
    href: Callable[[int], str] | None = None
    permission: str = ""  # needed to follow the link; without it the figure is plain text
    # Names why a row needs attention when its value is truthy (a count above zero).
    attention: str = ""
    # For "text" columns: the value shown for each stored value.
    labels: Mapping[str, str] = field(default_factory=dict)
    empty: str = "–"


@dataclass(frozen=True)
class FleetFilter:
    name: str  # the query-string parameter
    label: str
    # value -> condition on the annotated queryset; anything else leaves the filter off.
    choices: Mapping[str, tuple[str, Q]]


@dataclass(frozen=True)
class FleetHooks:
    annotations: dict[str, Expression]
    columns: list[FleetColumn]
    filters: list[FleetFilter]


def _modules() -> list[ModuleType]:
    return [module for module in local_app_modules("fleet") if module.__name__ != __name__]


def gather(now: dt.datetime) -> FleetHooks:
    annotations: dict[str, Expression] = {}
    columns: list[FleetColumn] = []
    filters: list[FleetFilter] = []
    for module in _modules():
        annotations.update(module.annotations(now))
        columns.extend(module.COLUMNS)
        if hasattr(module, "filters"):
            filters.extend(module.filters())
    return FleetHooks(annotations, columns, filters)
