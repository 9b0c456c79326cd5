"""Turning Maventa's JSON into small frozen dataclasses, and our values into its query text.

Maventa marks no field as nullable and leaves optional ones out (FIELDS.md section 0), and
adds fields over time: absent and null read alike, and unknown fields are ignored. A field
typed as another dataclass is read as one (an absent party reads as an empty one), and a
field typed `tuple[X, ...]` is read from a JSON list (of dataclasses when X is one).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Translation:
    """One language's text of a translated field (`friendly_names`, `texts`, `titles`...)."""

    lang: str = ""
    value: str = ""


@functools.cache
def _shapes(cls: type) -> dict[str, tuple[str, Any]]:
    """Per field that needs converting: ("one", Dataclass), ("many", item type or None)."""
    hints = typing.get_type_hints(cls)
    shapes: dict[str, tuple[str, Any]] = {}
    for item in dataclasses.fields(cls):
        hint = hints.get(item.name)
        if dataclasses.is_dataclass(hint):
            shapes[item.name] = ("one", hint)
        elif typing.get_origin(hint) is tuple:
            args = typing.get_args(hint)
            inner = args[0] if args and dataclasses.is_dataclass(args[0]) else None
            shapes[item.name] = ("many", inner)
    return shapes


def _converted(shape: tuple[str, Any], value: Any) -> Any:
    kind, inner = shape
    if kind == "one":
        return from_json(inner, value)
    if not isinstance(value, list):
        value = [] if value is None or isinstance(value, dict | str) else [value]
    return tuple(from_json(inner, item) for item in value) if inner else tuple(value)


def from_json(cls: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        data = {}
    shapes = _shapes(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {}
    for key, value in data.items():
        if key not in names or value is None:
            continue
        values[key] = _converted(shapes[key], value) if key in shapes else value
    return cls(**values)


def list_from_json(cls: type[T], data: Any) -> list[T]:
    return [from_json(cls, item) for item in data] if isinstance(data, list) else []


def timestamp(value: datetime | date | str) -> str:
    """A date-time as Maventa writes them (FIELDS.md section 0): ISO 8601 UTC, `...Z`.

    Text is sent as given; a date means its midnight UTC; a naive date-time is refused, as
    its zone would be a guess.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value!r} has no time zone: give an aware date-time.")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def many(values: str | Iterable[str]) -> list[str]:
    """One value or several, as a list; empty values dropped."""
    if isinstance(values, str):
        values = [values]
    return [value for value in values if value]


def query_params(*pairs: tuple[str, Any]) -> list[tuple[str, str]]:
    """Query parameters in order; lists repeat their key, empty and None values are left out.

    Array parameters go under their wire name, `status[]=a&status[]=b`: the schema's
    `x-wire-name`, which Maventa's Grape server reads as a list (FIELDS.md section 0).
    """
    found: list[tuple[str, str]] = []
    for key, value in pairs:
        if value is None or value == "" or value == ():
            continue
        if isinstance(value, list | tuple):
            found += [(key, str(item)) for item in value]
        elif isinstance(value, bool):
            found.append((key, "true" if value else "false"))
        elif isinstance(value, datetime | date):
            found.append((key, timestamp(value)))
        else:
            found.append((key, str(value)))
    return found
