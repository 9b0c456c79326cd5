"""Maventa's AX schema as the contract tests read it, and the operation a request is for.

``ax-openapi.json`` beside this module is a copy of ``shared/maventa/ax-openapi.json`` (FIELDS.md
says where it comes from), kept in the repository so that the suite and a partner's live run read
the same contract. The schema lists per operation only its success answers and a few errors; its
description adds "Generic API errors" that any endpoint may answer (400, 401, 404, 5XX with an
``APIEntitiesError`` body), so ``with_generic_errors`` writes those into every operation before
anything is validated. Everything else the sandbox or the client may do beyond the schema is a
named departure in ``exceptions.py``.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("ax-openapi.json")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
GENERIC_ERRORS = {
    "400": "Bad input parameters or invalid request (generic API error)",
    "401": "No access to the resource, or the token is not valid (generic API error)",
    "404": "Not found, or no access to the resource (generic API error)",
    "5XX": "A server error (generic API error)",
}
ERROR_REF = "#/components/schemas/APIEntitiesError"


@cache
def _raw() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def load() -> dict[str, Any]:
    """A fresh copy of the schema as published (callers may change it)."""
    return json.loads(_raw())


def error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def with_generic_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """The schema's "Generic API errors" table, written into each operation it applies to."""
    spec = copy.deepcopy(spec)
    for _, _, operation in operations(spec):
        responses = operation.setdefault("responses", {})
        for status, description in GENERIC_ERRORS.items():
            responses.setdefault(status, error_response(description))
    return spec


def operations(spec: dict[str, Any]):
    """``(METHOD, path, operation)`` for every operation of ``spec``."""
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def label(method: str, template: str) -> str:
    return f"{method.upper()} {template}"


def shape(template: str) -> str:
    """A path with its parameters unnamed, so that ``{id}`` and ``{profile_id}`` compare equal."""
    return re.sub(r"\{[^}/]+\}", "{}", template)


@dataclass(frozen=True)
class Match:
    method: str
    template: str
    operation: dict[str, Any]
    path_params: dict[str, str]

    @property
    def label(self) -> str:
        return label(self.method, self.template)


class Operations:
    """Finds the operation of a concrete request path; literal segments beat parameters, so
    ``/v1/companies/authorizations`` is not read as ``/v1/companies/{id}``."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self._templates: list[tuple[int, str, re.Pattern[str]]] = []
        for template in spec["paths"]:
            pattern = re.sub(r"\\\{([^}/]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            self._templates.append((template.count("{"), template, re.compile(f"^{pattern}$")))
        self._templates.sort(key=lambda entry: entry[0])

    def template_of(self, path: str) -> tuple[str, dict[str, str]] | None:
        for _, template, pattern in self._templates:
            found = pattern.match(path)
            if found:
                return template, found.groupdict()
        return None

    def find(self, method: str, path: str) -> Match | None:
        found = self.template_of(path)
        if found is None:
            return None
        template, params = found
        operation = self.spec["paths"][template].get(method.lower())
        if operation is None:
            return None
        return Match(method.upper(), template, operation, params)

    def methods_at(self, template: str) -> list[str]:
        item = self.spec["paths"].get(template, {})
        return [m.upper() for m in METHODS if m in item]
