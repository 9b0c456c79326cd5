"""Checks of one request and one answer against a ``Contract``; they return violations, raw.

Requests (the client's): the operation exists; a secured one carries a bearer token; every query
parameter is known, sent under its wire name (``x-wire-name``, e.g. ``status[]``) and of its
type and enum; required parameters are there; the body has a documented media type and fits its
schema. Answers (the sandbox's): the status is documented for the operation (the generic errors
included), the media type is documented, the body fits, documented headers are present.
A departure may forgive some of them afterwards (``Contract.forgive``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.contract.contract import Contract
from tests.contract.forms import coerce, nest
from tests.contract.spec import ERROR_REF, Match
from tests.contract.violations import (
    AUTH,
    BODY,
    HEADER,
    MEDIA_TYPE,
    PARAMETER,
    UNDOCUMENTED_OPERATION,
    UNDOCUMENTED_STATUS,
    Violation,
)

JSON = "application/json"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # below the API root, e.g. /v1/company/profiles
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = ""
    # JSON: the raw bytes; forms: (key, value) pairs, files as their names; None: no body.
    body: bytes | list[tuple[str, str]] | None = None
    body_read: bool = True  # False: the connection was dropped before the body could be read


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # names lower-case
    body: bytes | None = b""  # None: streamed, not read

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def check_request(contract: Contract, request: Request) -> list[Violation]:
    match = contract.operations.find(request.method, request.path)
    if match is None:
        label = f"{request.method} {request.path}"
        return [_v(contract, label, UNDOCUMENTED_OPERATION, "not an operation of the schema")]
    found = []
    if match.operation.get("security"):
        scheme = request.headers.get("authorization", "").partition(" ")[0].lower()
        if scheme != "bearer":
            found.append(_v(contract, match.label, AUTH, "secured, sent without a bearer token"))
    found += _parameters(contract, match, request)
    found += _request_body(contract, match, request)
    return found


def check_answer(
    contract: Contract, method: str, path: str, answer: Answer, *, fault: bool = False
) -> list[Violation]:
    match = contract.operations.find(method, path)
    if match is None:
        label = f"{method} {path}"
        if answer.status == 404:
            # Maventa's generic 404 for a resource that does not exist: only its body is known.
            return _json_body(contract, label, answer, {"$ref": ERROR_REF}, fault)
        message = "not an operation of the schema"
        return [_v(contract, label, UNDOCUMENTED_OPERATION, message, answer.status, fault)]
    documented = _documented(match.operation.get("responses", {}), answer.status)
    if documented is None:
        found = [
            _v(contract, match.label, UNDOCUMENTED_STATUS, "not documented", answer.status, fault)
        ]
        if answer.status >= 400 and answer.body:
            # Every error is an APIEntitiesError (FIELDS.md section 0), documented or not.
            found += _json_body(contract, match.label, answer, {"$ref": ERROR_REF}, fault)
        return found
    found = _headers(contract, match.label, documented.get("headers", {}), answer, fault)
    content = documented.get("content")
    if not content:
        if answer.body:
            message = "documented without a body, answered one"
            found.append(_v(contract, match.label, BODY, message, answer.status, fault))
        return found
    if answer.media_type not in content:
        message = f"{answer.media_type or 'no Content-Type'}, documented: {', '.join(content)}"
        return [*found, _v(contract, match.label, MEDIA_TYPE, message, answer.status, fault)]
    if answer.body is None:
        return found
    schema = content[answer.media_type].get("schema", {})
    return found + _json_body(contract, match.label, answer, schema, fault)


def _v(contract: Contract, label: str, kind: str, message: str, status=None, fault=False):
    return Violation(contract.side, label, kind, message, status, fault)


def _documented(responses: dict[str, Any], status: int) -> dict[str, Any] | None:
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return responses[key]
    return None


def _json_body(contract, label, answer: Answer, schema, fault) -> list[Violation]:
    try:
        body = json.loads(answer.body) if answer.body else None
    except ValueError:
        return [_v(contract, label, BODY, "not JSON", answer.status, fault)]
    return [
        _v(contract, label, BODY, message, answer.status, fault)
        for message in contract.schemas.errors(schema, body)
    ]


def _headers(contract, label, documented: dict, answer: Answer, fault) -> list[Violation]:
    found = []
    for name, header in documented.items():
        value = answer.headers.get(name.lower())
        if value is None:
            if header.get("required"):
                found.append(_v(contract, label, HEADER, f"{name} missing", answer.status, fault))
            continue
        schema = header.get("schema", {})
        typed = coerce(value, schema, contract.schemas.resolve)
        for message in contract.schemas.errors(schema, typed):
            found.append(_v(contract, label, HEADER, f"{name} {message}", answer.status, fault))
    return found


def _parameters(contract: Contract, match: Match, request: Request) -> list[Violation]:
    declared = match.operation.get("parameters", [])
    sent: dict[str, list[str]] = {}
    for key, value in request.query:
        sent.setdefault(key, []).append(value)
    found = []
    for param in declared:
        name, schema = param["name"], param.get("schema", {})
        if param["in"] == "path":
            values = [match.path_params.get(name, "")]
        elif param["in"] == "query":
            wire = param.get("x-wire-name", name)
            plain = sent.pop(name, None) if wire != name else None
            if plain is not None:
                message = f"{name} sent under its plain name; the wire name is {wire}"
                found.append(_v(contract, match.label, PARAMETER, message))
            values = sent.pop(wire, None) or plain
        else:
            continue
        if values is None:
            if param.get("required"):
                found.append(_v(contract, match.label, PARAMETER, f"{name} is required"))
            continue
        is_array = contract.schemas.resolve(schema).get("type") == "array"
        if not is_array and len(values) > 1:
            message = f"{name} sent {len(values)} times; it takes one value"
            found.append(_v(contract, match.label, PARAMETER, message))
        value = coerce(values if is_array else values[0], schema, contract.schemas.resolve)
        for message in contract.schemas.errors(schema, value):
            found.append(_v(contract, match.label, PARAMETER, f"{name} {message}"))
    for unknown in sent:
        found.append(_v(contract, match.label, PARAMETER, f"unknown query parameter {unknown}"))
    return found


def _request_body(contract: Contract, match: Match, request: Request) -> list[Violation]:
    documented = match.operation.get("requestBody")
    if not request.body_read:
        return []
    if documented is None:
        if request.body:
            return [_v(contract, match.label, MEDIA_TYPE, "the operation takes no body")]
        return []
    if request.body is None:
        if documented.get("required"):
            return [_v(contract, match.label, BODY, "a body is required")]
        return []
    content = documented.get("content", {})
    if request.media_type not in content:
        message = f"{request.media_type or 'no Content-Type'}, documented: {', '.join(content)}"
        return [_v(contract, match.label, MEDIA_TYPE, message)]
    schema = content[request.media_type].get("schema", {})
    if request.media_type in FORMS:
        data = coerce(nest(request.body), schema, contract.schemas.resolve)
    else:
        try:
            data = json.loads(request.body)
        except ValueError:
            return [_v(contract, match.label, BODY, "not JSON")]
    return [
        _v(contract, match.label, BODY, message)
        for message in contract.schemas.errors(schema, data)
    ]
