"""Query strings and form bodies as the values their schema describes.

On the wire every value is text; the schema types some as integers, numbers, booleans or lists.
A value is converted only when it reads as its type (``"true"`` as a boolean, ``"5"`` as an
integer); otherwise it stays text and the schema check names the mismatch. Bracketed keys are
read as Maventa's Grape-style server reads them (FIELDS.md section 0): ``a[]`` appends to a list,
``files[0][file]`` nests, and a map keyed only by digits is a list in that order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def nest(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        found = _KEY.match(key)
        if found is None:
            data[key] = value
            continue
        steps = [found.group(1), *re.findall(r"\[([^\[\]]*)\]", found.group(2))]
        _put(data, steps, value)
    return _lists(data)


def _put(node: Any, steps: list[str], value: Any) -> None:
    for position, step in enumerate(steps):
        last = position == len(steps) - 1
        following = None if last else steps[position + 1]
        if step == "":
            # `a[]`: a list; `a[][b]` starts a new item unless the last one lacks `b`.
            if last:
                node.append(value)
                return
            if not node or not isinstance(node[-1], dict) or following in node[-1]:
                node.append({})
            node = node[-1]
            continue
        if last:
            if step in node:
                node[step] = [*_as_list(node[step]), value]
            else:
                node[step] = value
            return
        node = node.setdefault(step, [] if following == "" else {})


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        converted = {key: _lists(value) for key, value in node.items()}
        if converted and all(key.isdigit() for key in converted):
            return [converted[key] for key in sorted(converted, key=int)]
        return converted
    if isinstance(node, list):
        return [_lists(item) for item in node]
    return node


def coerce(value: Any, schema: dict[str, Any], resolve: Callable[[dict], dict]) -> Any:
    """``value`` (text, or lists and maps of text) as ``schema`` types it, where it reads so."""
    schema = resolve(schema)
    kind = schema.get("type")
    if isinstance(value, list):
        items = schema.get("items", {}) if kind == "array" else {}
        return [coerce(item, items, resolve) for item in value]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {key: coerce(item, properties.get(key, {}), resolve) for key, item in value.items()}
    if not isinstance(value, str):
        return value
    return _scalar(value, kind)


def _scalar(text: str, kind: str | None) -> Any:
    try:
        if kind == "integer" and re.fullmatch(r"-?\d+", text):
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text
