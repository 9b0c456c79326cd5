"""The AX client's resource functions, found rather than listed, and how each is called.

Each public function of ``maventa_api.ax`` taking ``api`` first is one; its docstring opens with
its HTTP contract (STYLE.md: "`POST /v1/company/profiles` -> 201"), which says its method and,
with ``(no token`` or ``(operator token``, which credentials it needs. Imports nothing of the
sandbox, so that the live tests can use it where the sandbox is not installed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import maventa_portal.maventa_api.ax as ax_package

COMPANY, OPERATOR, PUBLIC = "company", "operator", "public"


def resource_functions() -> list[Callable]:
    found = []
    for module_info in pkgutil.iter_modules(ax_package.__path__):
        module = importlib.import_module(f"{ax_package.__name__}.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if list(inspect.signature(function).parameters)[:1] == ["api"]:
                found.append(function)
    return found


def credentials_of(function: Callable) -> str:
    doc = inspect.getdoc(function) or ""
    if "(no token" in doc:
        return PUBLIC
    if "(operator token" in doc:
        return OPERATOR
    return COMPANY


def method_of(function: Callable) -> str:
    found = re.search(r"`(GET|POST|PUT|PATCH|DELETE) /", inspect.getdoc(function) or "")
    return found.group(1) if found else ""


def path_of(function: Callable) -> str:
    """The path its docstring's HTTP contract names, without the query: ``/v1/invoices/{id}``."""
    found = re.search(r"`(?:GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)", inspect.getdoc(function) or "")
    return found.group(1) if found else ""


def scope_of(function: Callable) -> str:
    """The token scope its module names (``SCOPE``); empty: Maventa's default scope."""
    return getattr(inspect.getmodule(function), "SCOPE", "")


class Values(dict):
    """Values by parameter name; those in ``makers`` are made when first asked for (an invoice
    to read, say), so that a call needing none makes none."""

    def __init__(self, given: dict[str, Any], makers: dict[str, Callable[[], Any]]) -> None:
        super().__init__(given)
        self.makers = makers

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or name in self.makers

    def __getitem__(self, name: str) -> Any:
        if not super().__contains__(name):
            self[name] = self.makers[name]()
        return super().__getitem__(name)


def call(function: Callable, api, values: dict) -> object:
    """``function(api, ...)`` with the values its parameters name; a missing one fails."""
    signature = inspect.signature(function)
    needed = [
        name
        for name, parameter in signature.parameters.items()
        if name != "api"
        and parameter.default is inspect.Parameter.empty
        and parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL)
        and name not in values
    ]
    assert not needed, f"{function.__name__} needs {needed}: add them to the test's values"
    given = {
        name: _shaped(values[name], parameter.annotation)
        for name, parameter in signature.parameters.items()
        if name in values
    }
    return function(api, **given)


def _shaped(value, annotation) -> object:
    """One name may be a single value here and a list there (``network``): follow the hint."""
    many = any(word in str(annotation) for word in ("Iterable", "list["))
    return [value] if many and isinstance(value, str) else value
