"""OpenAPI 3.0 schema objects as JSON Schema, checked by jsonschema-rs.

Why jsonschema-rs: it is the validator schemathesis itself uses for its response checks, so the
property tests and this suite's checks cannot disagree on what a schema means.

Two decisions live here:
- ``nullable: true`` becomes "or null" (OpenAPI 3.0 has no ``null`` type of its own);
- *strict* schemas close every object that lists its properties (``additionalProperties:
  false`` unless the schema says otherwise). The sandbox's answers and the client's requests are
  read strictly, so that a field invented on either side shows; Maventa's real answers (the
  live tests) are read leniently, since the 2023 schema predates fields Maventa has added since.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema_rs

_COMBINERS = ("allOf", "anyOf", "oneOf")


def to_json_schema(schema: Any, *, strict: bool) -> Any:
    if isinstance(schema, list):
        return [to_json_schema(item, strict=strict) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {
        key: to_json_schema(value, strict=strict)
        for key, value in schema.items()
        if key != "nullable" and not key.startswith("x-")
    }
    # "properties" is a map of names to schemas: convert each schema, never the map's keys.
    if isinstance(schema.get("properties"), dict):
        converted["properties"] = {
            name: to_json_schema(value, strict=strict)
            for name, value in schema["properties"].items()
        }
    if (
        strict
        and "properties" in schema
        and "additionalProperties" not in schema
        and not any(key in schema for key in _COMBINERS)
    ):
        converted["additionalProperties"] = False
    if schema.get("nullable"):
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


class SchemaSet:
    """Validators for schema fragments of one spec, sharing its converted components."""

    def __init__(self, spec: dict[str, Any], *, strict: bool) -> None:
        self.strict = strict
        self._raw_components = spec.get("components", {})
        self._components = to_json_schema(self._raw_components, strict=strict)
        self._compile = lru_cache(maxsize=None)(self._compile_uncached)

    def errors(self, fragment: dict[str, Any], instance: Any) -> list[str]:
        """Messages for every way ``instance`` breaks ``fragment`` (an empty list: it fits)."""
        validator = self._compile(json.dumps(fragment, sort_keys=True))
        found = []
        for error in validator.iter_errors(instance):
            where = "$" + "".join(
                f"[{step}]" if isinstance(step, int) else f".{step}" for step in error.instance_path
            )
            found.append(f"{where}: {error.message}")
        return found

    def _compile_uncached(self, fragment_json: str) -> Any:
        fragment = to_json_schema(json.loads(fragment_json), strict=self.strict)
        root = {"allOf": [fragment], "components": self._components}
        return jsonschema_rs.Draft4Validator(root, validate_formats=True, offline=True)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` with a leading ``$ref`` (or ``allOf`` of one) followed, unconverted."""
        while True:
            ref = schema.get("$ref")
            if ref is None and len(schema.get("allOf", ())) == 1 and len(schema) <= 2:
                ref = schema["allOf"][0].get("$ref")
            if ref is None:
                return schema
            schema = self._raw_components["schemas"][ref.rsplit("/", 1)[-1]]
