"""The operations the portal's client calls, read from the source of ``maventa_api``.

There is no endpoint registry: each resource function calls ``api.get("/v1/...")`` and the
like, and the token fetch calls ``transport.send("POST", config.token_url)``. The walk below
finds those calls and rebuilds each path as a template (``{}`` for what is filled in), following
what the package builds paths with: a literal, an f-string, a local variable, a module-level
helper returning one (``_path(profile_id)``), or a property such as ``token_url``. The host part
(``{self.hosts.ax}``) is dropped. A call whose path cannot be rebuilt is reported as such, so a
new way of building paths shows up in ``make contract`` instead of vanishing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import maventa_portal.maventa_api as package

VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
UNKNOWN = "?"


@dataclass(frozen=True, order=True)
class CallSite:
    api: str
    method: str
    template: str  # "/v1/company/profiles/{}", or UNKNOWN
    where: str  # "ax/profiles.py:52"


def _returns(tree: ast.Module) -> dict[str, ast.expr]:
    """What each function and property of a module returns, when it is one expression."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]
            if len(returns) == 1:
                found[node.name] = returns[0]
    return found


class _Templates:
    def __init__(self, helpers: dict[str, ast.expr]) -> None:
        self.helpers = helpers

    def of(self, node: ast.expr, local: dict[str, ast.expr], depth: int = 0) -> str:
        if depth > 5:
            return UNKNOWN
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            parts = [self._part(value, local, depth) for value in node.values]
            text = "".join(parts)
            return text[2:] if text.startswith("{}/") else text  # the host
        if isinstance(node, ast.Name) and node.id in local:
            return self.of(local[node.id], local, depth + 1)
        name = _callee(node)
        if name in self.helpers:
            return self.of(self.helpers[name], {}, depth + 1)
        return UNKNOWN

    def _part(self, value: ast.expr, local: dict[str, ast.expr], depth: int) -> str:
        if isinstance(value, ast.Constant):
            return str(value.value)
        inner = value.value if isinstance(value, ast.FormattedValue) else value
        found = self.of(inner, local, depth + 1)
        return found if found.startswith("/") else "{}"


def _callee(node: ast.expr) -> str:
    """``_path`` of ``_path(x)``; ``token_url`` of ``self.config.token_url``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _api_of(call: ast.Call) -> str:
    for keyword in call.keywords:
        if keyword.arg == "api" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return "ax"


def _calls(tree: ast.Module):
    """``(call, method, path expression, locals of its function)`` for each request made."""
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        local = {
            target.id: node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        parameters = {arg.arg for arg in function.args.args + function.args.kwonlyargs}
        for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
            found = _request(call)
            if found is None:
                continue
            method, path = found
            if isinstance(path, ast.Name) and path.id in parameters:
                continue  # Api.get(path) and the like hand a caller's path on: no call site
            yield call, method, path, local


def _request(call: ast.Call) -> tuple[str, ast.expr] | None:
    """``api.get(path)`` or ``x.request("GET", path)`` / ``x.send("POST", url)``."""
    name, args = _callee(call.func), call.args
    if name in VERBS and args and _callee(call.func.value) == "api":
        return VERBS[name], args[0]
    if name in ("request", "send") and len(args) >= 2:
        method = args[0]
        if isinstance(method, ast.Constant) and isinstance(method.value, str):
            return method.value.upper(), args[1]
    return None


def call_sites() -> list[CallSite]:
    root = Path(package.__file__).parent
    trees = {path: ast.parse(path.read_text()) for path in sorted(root.rglob("*.py"))}
    helpers: dict[str, ast.expr] = {}
    for tree in trees.values():
        helpers.update(_returns(tree))
    templates = _Templates(helpers)
    found = set()
    for path, tree in trees.items():
        for call, method, expression, local in _calls(tree):
            template = templates.of(expression, local)
            where = f"{path.relative_to(root)}:{call.lineno}"
            found.add(CallSite(_api_of(call), method, template, where))
    return sorted(found)
