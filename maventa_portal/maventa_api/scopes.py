"""The token scopes each area of the client needs, for `company_api(company, scope=...)`.

A token asked for without a scope gets `global` and `company` (FIELDS.md section 1), which
covers companies, profiles, documents and lookup but neither invoices nor Detect: those need
their scopes asked for. Maventa does not state which scope each path needs; the mapping by
name is inferred (FIELDS.md section 1, last paragraph). Several scopes go in one string,
space-separated (OAuth2's convention). Each AX module names its own as `SCOPE`.
"""

from __future__ import annotations

INVOICE_SCOPES = "invoice:send invoice:receive"
DOCUMENT_SCOPES = "document:send document:receive"
LOOKUP_SCOPE = "lookup"
ANALYSIS_SCOPE = "analysis"
# The Validator (AutoInvoice validator service) is a separate API with its own scope.
VALIDATE_SCOPE = "validate"
# The Receivables API (assignments, service levels, messages with Visma Amili; API.md).
RECEIVABLES_SCOPE = "receivables:assignments"
# Maventa's alias for everything an e-invoicing integration does (invoices, documents, lookup,
# Detect, company settings, Receivables); the public client asks for it by default.
EUI_SCOPE = "eui"
# One token for everything the exchange of invoices and documents calls.
EXCHANGE_SCOPES = " ".join((INVOICE_SCOPES, DOCUMENT_SCOPES, LOOKUP_SCOPE, ANALYSIS_SCOPE))


def scopes(*names: str) -> str:
    """Scope strings joined into one, each scope once, in the order given."""
    return " ".join(dict.fromkeys(part for name in names for part in name.split()))
