"""Every place where the sandbox or the client may depart from ``ax-openapi.json``, with why.

Two tables, and nothing is exempt from the contract outside them:

- ``EXCEPTIONS``: deliberate. API.md (Maventa's current documentation) wins over the 2023 schema
  where it speaks (FIELDS.md, opening and section 12), and HTTP itself answers a few things the
  schema never documents.
- ``DRIFT_BEING_FIXED``: TEMPORARY. Real drift that is being fixed in the sandbox or the client
  right now, listed so the suite passes meanwhile. Each entry goes once its fix lands; an entry
  whose edit no longer applies fails ``test_tables.py``.

A departure either widens the schema (``patch``: one operation, status, property, enum value or
null; see ``patches.py``) or forgives one kind of violation the schema cannot express
(``admits``). ``sides`` says whether it applies to the sandbox's answers, the client's requests,
or both: the sandbox may serve what the client must not call.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from tests.contract import patches as p
from tests.contract.violations import (
    BODY,
    MEDIA_TYPE,
    UNDOCUMENTED_OPERATION,
    UNDOCUMENTED_STATUS,
    Violation,
)

RESPONSES, REQUESTS = "responses", "requests"
BOTH = (RESPONSES, REQUESTS)


@dataclass(frozen=True)
class Departure:
    name: str
    reason: str
    patch: p.Patch | None = None
    admits: Callable[[Violation], bool] | None = None
    sides: tuple[str, ...] = BOTH


_PROFILE = "/v1/company/profiles/{id}"
_FILE_DOWNLOADS = ("GET /v1/invoices/{id}/files/{file_id}", "GET /v1/files/{id}")
_INVOICE_IMAGES = ("application/xml", "application/pdf")
_ERROR = {"$ref": "#/components/schemas/APIEntitiesError"}
_PROFILE_BODY = {"$ref": "#/components/schemas/APIEntitiesCompanyProfile"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


_EXTENSIONS_OPERATION = {
    "summary": "Set the extensions of one profile of a registration (API.md)",
    "operationId": "putV1CompanyProfilesIdExtensions",
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "requestBody": {
        "required": True,
        "content": _json(
            {
                "type": "object",
                "required": ["profile_name", "extensions"],
                "properties": {
                    "profile_name": {"type": "string"},
                    "extensions": {"type": "array", "items": {"type": "string"}},
                },
            }
        ),
    },
    "responses": {
        # API.md names no status; the sandbox answers the registration as GET does.
        "200": {"description": "The registration", "content": _json(_PROFILE_BODY)},
        "422": {"description": "profile_not_supported", "content": _json(_ERROR)},
    },
    "security": [{"bearer": []}],
}

_AMILI_V2 = "/v2/services/amili/receivables"


def _amili_v2_operations(spec: dict) -> None:
    """FIELDS.md 13: PUT, GET and PATCH of the newer Amili onboarding. No schema is published:
    the bodies are v1's (``authorization_email`` optional) and the answer v1's plus
    ``activation_url``, ``own_invoice_image`` and the status REJECTED, as the client and the
    sandbox assume (maventa_api/amili.py)."""
    schemas = spec["components"]["schemas"]
    put = copy.deepcopy(schemas["PutV1ServicesReceivables"])
    put["required"] = [name for name in put["required"] if name != "authorization_email"]
    state = copy.deepcopy(schemas["ReceivablesService"])
    state["properties"]["status"]["enum"] = ["DISABLED", "ACTIVE", "PENDING", "REJECTED"]
    state["properties"]["activation_url"] = {"type": "string"}
    state["properties"]["own_invoice_image"] = {"type": "boolean"}
    patch = {
        "type": "object",
        "required": ["own_invoice_image"],
        "properties": {"own_invoice_image": {"type": "boolean"}},
    }
    answers = {
        "200": {"description": "The state", "content": _json(state)},
        "400": {"description": "invalid_parameters", "content": _json(_ERROR)},
        "401": {"description": "unauthorized", "content": _json(_ERROR)},
    }
    for method, body in (("GET", None), ("PUT", put), ("PATCH", patch)):
        operation = {
            "summary": f"{method} the Amili receivables service (v2, FIELDS.md 13)",
            "operationId": f"{method.lower()}V2ServicesAmiliReceivables",
            "responses": dict(answers),
            "security": [{"bearer": []}],
        }
        if body is not None:
            operation["requestBody"] = {"required": True, "content": _json(body)}
        if method == "PATCH":
            operation["responses"]["404"] = {
                "description": "receivables_not_enabled",
                "content": _json(_ERROR),
            }
        p.add_operation(method, _AMILI_V2, operation)(spec)


_OP_CREDIT = "/v1/services/op_invoice_credit"
_OP_STATEMENT = f"GET {_OP_CREDIT}/account_statement"


def _op_credit_refusable(method: str, path: str, operation: dict) -> bool:
    return method == "POST" and path in (f"{_OP_CREDIT}/withdrawal", f"{_OP_CREDIT}/direct_payment")


EXCEPTIONS: tuple[Departure, ...] = (
    Departure(
        "amili-v2-onboarding",
        "FIELDS.md 13 'Activation (AX API, newer than the 2023 schema)': PUT, GET and PATCH "
        "/v2/services/amili/receivables, whose fields Maventa does not publish (assumed in "
        "maventa_api/amili.py).",
        patch=_amili_v2_operations,
    ),
    Departure(
        "profile-extensions-endpoint",
        "API.md 'Network profiles': PUT /v1/company/profiles/{id}/extensions with "
        "{profile_name, extensions}; newer than the 2023 schema (FIELDS.md 12, item 12).",
        patch=p.add_operation("PUT", f"{_PROFILE}/extensions", _EXTENSIONS_OPERATION),
    ),
    Departure(
        "profiles-with-extensions",
        "API.md 'Network profiles': GET of one registration shows profiles_with_extensions "
        "(FIELDS.md 12, item 12).",
        patch=p.add_property(
            p.component("APIEntitiesCompanyProfile"),
            "profiles_with_extensions",
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "profile_name": {"type": "string"},
                        "extensions": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        ),
    ),
    Departure(
        "webhook-vendor-key",
        "API.md 'Webhooks': optional vendor_key limits a VENDOR_WEBHOOK to that key's companies "
        "(FIELDS.md 12, item 13).",
        patch=p.add_property(
            p.component("PostV1CompanyNotifications"), "vendor_key", {"type": "string"}
        ),
    ),
    Departure(
        "invoice-list-fields",
        "API.md 'Invoices': fields limits the returned data of GET /v1/invoices "
        "(FIELDS.md 12, item 14).",
        patch=p.add_query_parameter(
            "GET",
            "/v1/invoices",
            {
                "name": "fields",
                "in": "query",
                "required": False,
                "schema": {"type": "array", "items": {"type": "string"}},
                "style": "form",
                "explode": True,
                "x-wire-name": "fields[]",
            },
        ),
    ),
    Departure(
        "document-list-received-at",
        "API.md 'Documents': GET /v1/documents filters on received_at_start and received_at_end "
        "(FIELDS.md 12, item 15).",
        patch=p.all_of(
            *(
                p.add_query_parameter(
                    "GET",
                    "/v1/documents",
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "format": "date-time"},
                    },
                )
                for name in ("received_at_start", "received_at_end")
            )
        ),
    ),
    Departure(
        "company-state-minus-one",
        "API.md 'Companies' writes an unverified company_state as -1 where the schema spells "
        "UNVERIFIED; both are read (FIELDS.md 12, item 5).",
        patch=p.one_of_too(
            p.prop(p.component("APIEntitiesCompanyAuthorizationStatus"), "company_state"),
            {"enum": [-1]},
        ),
        sides=(RESPONSES,),
    ),
    Departure(
        "delivery-confirmed-spelling",
        "API.md's webhooks spell DELIVERY_CONFIRMED where the schema's document status is "
        "CONFIRMED_DELIVERY; both are read (FIELDS.md 12, item 17).",
        patch=p.add_enum_value(
            p.prop(p.component("APIEntitiesDocument"), "status"), "DELIVERY_CONFIRMED"
        ),
        sides=(RESPONSES,),
    ),
    Departure(
        "scan-documents-network",
        "API.md 'Network profiles' names the scanning network SCAN_DOCUMENTS (or VISMASCANNER); "
        "the schema's network[] filter knows VISMASCANNER only (FIELDS.md 12, item 9).",
        patch=p.add_enum_value(
            p.parameter("GET", "/v1/company/profiles", "network"), "SCAN_DOCUMENTS"
        ),
        # The sandbox accepts both (FIELDS.md, opening); the client sends the schema's name.
        sides=(RESPONSES,),
    ),
    Departure(
        "file-downloads",
        "FIELDS.md sections 5 and 6: GET /v1/invoices/{id}/files/{file_id} and GET "
        "/v1/files/{id} answer the file's bytes ('body = raw file content') in the file's own "
        "media type; the schema documents their 200 without a body, one of its untyped file "
        "downloads (FIELDS.md, opening).",
        admits=lambda v: v.operation in _FILE_DOWNLOADS and v.status == 200 and v.kind == BODY,
        sides=(RESPONSES,),
    ),
    Departure(
        "invoice-return-format",
        "API.md 'Invoices': GET /v1/invoices/{id} 'returns the invoice in a chosen format, or "
        "its image (PDF)' when return_format is given (XML or PDF); the schema declares the "
        "JSON model only (FIELDS.md 5).",
        admits=lambda v: (
            v.operation == "GET /v1/invoices/{id}"
            and v.status == 200
            and v.kind == MEDIA_TYPE
            and v.message.startswith(_INVOICE_IMAGES)
        ),
        sides=(RESPONSES,),
    ),
    Departure(
        "method-not-allowed",
        "HTTP (RFC 9110, 15.5.6): a method a path does not serve answers 405 with Allow; the "
        "schema documents no answer for methods it lacks.",
        admits=lambda v: v.kind == UNDOCUMENTED_OPERATION and v.status == 405,
        sides=(RESPONSES,),
    ),
    Departure(
        "injected-fault",
        "A fault a test switched on (control API: 429 with Retry-After, 5xx, 401, 403 ...) "
        "stands in for Maventa's proxies and outages; its status is the test's choice, its "
        "body is still checked as an APIEntitiesError.",
        admits=lambda v: v.kind == UNDOCUMENTED_STATUS and v.fault,
        sides=(RESPONSES,),
    ),
    Departure(
        "op-credit-refusals",
        "OP Laskulaina: a withdrawal over the available credit, and a direct payment of an "
        "invoice already paid directly, are refused as unprocessable (422 with a code); the "
        "schema documents only their 201 (FIELDS.md 9).",
        patch=p.add_status("422", "Refused by OP Laskulaina's rules", where=_op_credit_refusable),
        sides=(RESPONSES,),
    ),
    Departure(
        "op-credit-statement-xml",
        "FIELDS.md 9: GET /v1/services/op_invoice_credit/account_statement 'returns the account "
        "statement per day in SEPA XML format'; the schema documents its 200 without a body.",
        admits=lambda v: v.operation == _OP_STATEMENT and v.status == 200 and v.kind == BODY,
        sides=(RESPONSES,),
    ),
)

# TEMPORARY: drift being fixed in the sandbox and the client. Empty this table as fixes land.
# Emptied once "Fidelity: statuses, names and fields as Maventa's schema has them" landed: 403
# where the schema says 401/404, profile_version and profile null, company null on
# /oauth2/current for operators, the client's GET /v1/company, and a client test posting to an
# invented path (their entries, a model for the next ones, are in this file's history).
DRIFT_BEING_FIXED: tuple[Departure, ...] = ()


def departures(side: str) -> list[Departure]:
    return [d for d in (*EXCEPTIONS, *DRIFT_BEING_FIXED) if side in d.sides]
