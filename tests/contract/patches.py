"""Small, precise edits of the schema: what one departure in ``exceptions.py`` changes.

A departure widens the contract by exactly what API.md (or a drift still being fixed) needs: one
operation, one status, one property, one enum value, one null. Each edit fails loudly when what
it edits is gone from the schema, so that a departure the schema has caught up with is noticed
(``test_tables.py`` also checks that every edit changes something).

Locators take the spec and return the schema object to edit; ``nullable`` follows OpenAPI 3.0,
and ``validators.py`` turns it into JSON Schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.contract.spec import error_response, operations

Spec = dict[str, Any]
Locator = Callable[[Spec], dict[str, Any]]
Patch = Callable[[Spec], None]


def resolve(spec: Spec, schema: dict[str, Any]) -> dict[str, Any]:
    """The component a ``$ref`` (or an ``allOf`` of one ``$ref``) points at, else ``schema``."""
    ref = schema.get("$ref")
    if ref is None and len(schema.get("allOf", ())) == 1:
        ref = schema["allOf"][0].get("$ref")
    if ref is None:
        return schema
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def operation(spec: Spec, method: str, path: str) -> dict[str, Any]:
    return spec["paths"][path][method.lower()]


def component(name: str) -> Locator:
    return lambda spec: spec["components"]["schemas"][name]


def prop(locator: Locator, name: str) -> Locator:
    return lambda spec: locator(spec)["properties"][name]


def body(method: str, path: str, media: str = "application/json") -> Locator:
    def locate(spec: Spec) -> dict[str, Any]:
        content = operation(spec, method, path)["requestBody"]["content"][media]
        return resolve(spec, content["schema"])

    return locate


def parameter(method: str, path: str, name: str) -> Locator:
    """The schema of a parameter; of its items when it is an array."""

    def locate(spec: Spec) -> dict[str, Any]:
        params = operation(spec, method, path).get("parameters", [])
        found = next(p["schema"] for p in params if p["name"] == name)
        return found.get("items", found)

    return locate


def add_operation(method: str, path: str, definition: dict[str, Any]) -> Patch:
    def patch(spec: Spec) -> None:
        item = spec["paths"].setdefault(path, {})
        if method.lower() in item:
            raise ValueError(f"{method} {path} is in the schema now: drop the departure")
        item[method.lower()] = definition

    return patch


def add_status(status: str, description: str, *, where: Callable[[str, str, dict], bool]) -> Patch:
    """An error answer (``APIEntitiesError``) on every operation ``where(method, path, op)``."""

    def patch(spec: Spec) -> None:
        for method, path, op in operations(spec):
            if where(method, path, op):
                op.setdefault("responses", {}).setdefault(status, error_response(description))

    return patch


def add_property(locator: Locator, name: str, schema: dict[str, Any]) -> Patch:
    def patch(spec: Spec) -> None:
        properties = locator(spec).setdefault("properties", {})
        if name in properties:
            raise ValueError(f"{name} is in the schema now: drop the departure")
        properties[name] = schema

    return patch


def add_query_parameter(method: str, path: str, parameter_: dict[str, Any]) -> Patch:
    def patch(spec: Spec) -> None:
        params = operation(spec, method, path).setdefault("parameters", [])
        if any(p["name"] == parameter_["name"] for p in params):
            raise ValueError(f"{parameter_['name']} is in the schema now: drop the departure")
        params.append(parameter_)

    return patch


def add_enum_value(locator: Locator, value: Any) -> Patch:
    def patch(spec: Spec) -> None:
        schema = locator(spec)
        if value in schema["enum"]:
            raise ValueError(f"{value!r} is in the schema now: drop the departure")
        schema["enum"].append(value)

    return patch


def one_of_too(locator: Locator, alternative: dict[str, Any]) -> Patch:
    """The value may also match ``alternative`` (another type or spelling)."""

    def patch(spec: Spec) -> None:
        schema = locator(spec)
        original = dict(schema)
        schema.clear()
        schema["anyOf"] = [original, alternative]

    return patch


def make_nullable(locator: Locator) -> Patch:
    def patch(spec: Spec) -> None:
        schema = locator(spec)
        if schema.get("nullable"):
            raise ValueError("already nullable in the schema: drop the departure")
        schema["nullable"] = True

    return patch


def all_of(*patches: Patch) -> Patch:
    def patch(spec: Spec) -> None:
        for each in patches:
            each(spec)

    return patch
