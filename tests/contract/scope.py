"""What ``make contract`` counts beyond the AX schema, and what the portal has no use for.

``UNUSED``: operations of the schema the portal will not call, by path prefix, with the reason
(DESIGN.md names the areas the client covers: companies, profiles, invoices, documents,
notifications, definitions, lookup, Detect, Validator, Receivables, Payslip). Anything not listed
and not yet called is work still to come, and shows as such.

``OTHER_APIS``: the Validator, Receivables and Payslip operations API.md (and FIELDS.md section
13, for the assignments it names) lists; they are not AX, have no schema here, and are counted
only, never validated.
"""

from __future__ import annotations

UNUSED: dict[str, str] = {
    "/odp/": "ODP companies are an operator directory, kept by operators, not by a partner",
    "/status/alb": "the load balancer's health check; the portal checks with /status/authenticated",
    "/v1/jwk": "Maventa's token signing keys; the portal presents tokens, it never verifies them",
    "/v1/fi_bank_messages": "Finnish bank message traffic (RI, error messages): a bank's own "
    "integration, outside e-invoicing for partner companies",
    "/v1/services/atg": "ATG (Norwegian AvtaleGiro) agreements: consumer direct debit, no B2C here",
    "/v1/services/b2cno": "Norwegian consumer e-invoicing (eFaktura B2C): no B2C here",
    "/v1/services/b2cse": "Swedish consumer e-invoicing registration: no B2C here",
    "/v1/company/consumers": "B2C consumers (Norway): no B2C here",
    "/v1/lookup/consumers": "consumer recipients lookup: no B2C here",
    "/v1/operator/participants": "participants an operator registers for its own customers; the "
    "partner's companies are registered as companies",
    "/v1/operator/notifications": "operator-wide webhooks; the partner subscribes per company or "
    "per vendor key (API.md 'Webhooks')",
    "/v1/operator/receivables/": "an operator's account statements for Receivables, not a "
    "partner's",
    "/v1/company/users": "one level of user rights only (API.md 'Authentication'): each company "
    "has the one API user created with it (POST /v1/users)",
}

# (api, "METHOD /path", source)
OTHER_APIS: tuple[tuple[str, str, str], ...] = (
    # API.md gives no path: the public clients' one, which the client and the sandbox use.
    ("validator", "POST /v1/validate", "API.md 'Validator API' (path assumed)"),
    ("receivables", "GET /v1/assignments", "FIELDS.md 13"),
    ("receivables", "GET /v1/assignments/{assignment_id}", "FIELDS.md 13"),
    ("receivables", "GET /v1/assignments/{assignment_id}/events", "FIELDS.md 13"),
    ("receivables", "POST /v1/assignments/{assignment_id}/events", "FIELDS.md 13"),
    ("receivables", "POST /v1/assignments/{assignment_id}/events/{event_id}/seen", "FIELDS.md 13"),
    ("receivables", "GET /v1/assignments/overview", "FIELDS.md 13"),
    ("receivables", "GET /v1/events", "FIELDS.md 13"),
    ("receivables", "GET /v1/service_levels", "API.md 'Receivables API'"),
    ("receivables", "GET /v1/service_levels/{customer_bid}", "API.md 'Receivables API'"),
    ("receivables", "PATCH /v1/service_levels/{customer_bid}", "API.md 'Receivables API'"),
    ("receivables", "GET /v1/message_threads", "API.md 'Receivables API'"),
    ("receivables", "GET /v1/message_threads/{thread_id}", "API.md 'Receivables API'"),
    ("receivables", "PATCH /v1/message_threads/{thread_id}", "API.md 'Receivables API'"),
    ("receivables", "GET /v1/message_threads/{thread_id}/messages", "API.md 'Receivables API'"),
    ("receivables", "POST /v1/message_threads/{thread_id}/messages", "API.md 'Receivables API'"),
    ("receivables", "GET /v1/assignments/{assignment_id}/messages", "API.md 'Receivables API'"),
    ("receivables", "POST /v1/assignments/{assignment_id}/messages", "API.md 'Receivables API'"),
    ("receivables", "PUT /v1/messages/{message_id}/seen", "API.md 'Receivables API'"),
    ("payslip", "POST /register", "API.md 'Payslip'"),
    ("payslip", "POST /input_public", "API.md 'Payslip'"),
    ("payslip", "POST /file_status", "API.md 'Payslip'"),
)


def unused_prefix(template: str) -> str:
    """The ``UNUSED`` prefix ``template`` falls under, or ``""``."""
    return next((prefix for prefix in UNUSED if template.startswith(prefix)), "")
