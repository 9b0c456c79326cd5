"""Turning Maventa's JSON into small frozen dataclasses.

Maventa marks no field as nullable and leaves optional ones out (FIELDS.md section 0), and
adds fields over time: absent and null read alike, and unknown fields are ignored.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def from_json(cls: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        data = {}
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{key: value for key, value in data.items() if key in names and value is not None})


def list_from_json(cls: type[T], data: Any) -> list[T]:
    return [from_json(cls, item) for item in data] if isinstance(data, list) else []
