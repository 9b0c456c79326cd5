"""What the sandbox serves, read from its URLconf: ``(api, METHOD, /path/{param})`` per route.

Each route module of ``gateway.ROUTES`` is walked; the methods of a route are what its view
answers in ``Allow`` when asked with a method no route serves (``by_method`` answers 405 with
``Allow`` before any other work). A route whose view does not say so fails loudly here, so that
a new endpoint cannot slip past the contract by being written differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.test import RequestFactory
from django.urls import URLPattern, URLResolver
from django.utils.module_loading import import_module

from maventa_portal.sandbox import gateway

_PROBE = "TRACE"  # served by no route of Maventa's


@dataclass(frozen=True, order=True)
class Route:
    api: str
    method: str
    template: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"


def template(pattern: object) -> str:
    """``v1/company/profiles/<str:profile_id>`` -> ``/v1/company/profiles/{profile_id}``."""
    text = str(pattern)
    text = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", text)  # path() converters
    text = re.sub(r"\(\?P<([^>]+)>[^)]*\)", r"{\1}", text)  # re_path() named groups
    return "/" + text.strip("^$").lstrip("/")


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + template(entry.pattern).lstrip("/"))
        elif isinstance(entry, URLPattern):
            yield prefix + template(entry.pattern).lstrip("/"), entry.callback


def methods_of(view, path: str) -> list[str]:
    answer = view(RequestFactory().generic(_PROBE, path))
    allow = answer.get("Allow", "")
    if answer.status_code != 405 or not allow:
        raise AssertionError(
            f"sandbox route {path} did not answer {_PROBE} with 405 and Allow: wrap its views "
            "in responses.by_method so the contract tests can see which methods it serves"
        )
    return [method.strip() for method in allow.split(",") if method.strip()]


@cache
def served_routes() -> tuple[Route, ...]:
    routes = []
    for api, module in gateway.ROUTES.items():
        for path, view in _walk(import_module(module).urlpatterns):
            path = "/" + path.lstrip("/")
            routes += [Route(api, method, path) for method in methods_of(view, path)]
    return tuple(sorted(routes))
