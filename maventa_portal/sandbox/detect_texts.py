"""What Detect says in words: check definitions (``CheckDefinitions``) and result texts.

Reason codes and their status/result pairs are FIELDS.md section 8's table; the wording is
the sandbox's own (Maventa's is not public), in English and Finnish, with ``%{...}``
placeholders that a result fills from its data.
"""

import re
from typing import Any

from .reports import CRITERIA, as_criteria

APP_VERSION = "sandbox-1"
NA, RUN, FAILED, PENDING = "NOT_APPLICABLE", "RUN_SUCCESSFUL", "RUN_FAILED", "PENDING"

# name: (friendly name, title, description, sources, [(status, result, reason, text)])
CHECKS: dict[str, tuple[str, str, str, tuple[str, ...], list[tuple[str, str, str, str]]]] = {
    "SUPPLIER_ACTIVATION": (
        "Supplier activation",
        "Could the sender send e-invoices?",
        "For scanned invoices: whether the sender is able to send electronic invoices.",
        ("Maventa",),
        [
            (NA, NA, "INVOICE_NOT_FROM_SCAN", "Only scanned invoices are checked."),
            (RUN, "WARNING", "INVALID_INPUT", "The invoice lacks the sender's business ID."),
            (
                RUN,
                "WARNING",
                "COMPANY_CAN_SEND_ELECTRONIC",
                "The sender %{bid} can send e-invoices: ask for them.",
            ),
            (RUN, "OK", "COMPANY_CAN_ONLY_SEND_SCAN", "No e-invoicing record for %{bid}."),
        ],
    ),
    "BANK_ACCOUNT_CHANGED": (
        "Bank account changed",
        "Has the sender's bank account changed?",
        "Compares the bank account on the invoice with those on earlier invoices of the sender.",
        ("Maventa",),
        [
            (RUN, "WARNING", "INVALID_INPUT", "The sender cannot be identified."),
            (NA, NA, "NO_BANK_ACCOUNTS", "The invoice has no bank account."),
            (RUN, "WARNING", "UNKNOWN", "No earlier invoices show bank account %{bank_account}."),
            (RUN, "WARNING", "CHANGED", "Bank account %{bank_account} differs from earlier ones."),
            (RUN, "OK", "NOT_CHANGED", "Bank account %{bank_account} is known from earlier."),
        ],
    ),
    "SENDER_BID_STATUS": (
        "Sender business ID status",
        "Is the sender an active company?",
        "Looks the sender's business ID up in the trade register (FI: YTJ, NO: Brønnøysund).",
        ("YTJ", "Brønnøysundregistrene"),
        [
            (NA, NA, "COUNTRY_NOT_SUPPORTED", "Only Finnish and Norwegian senders are checked."),
            *[
                (RUN, "WARNING", code, f"%{{registry_name}}: %{{bid}} {text}.")
                for code, text in (
                    ("NOT_FOUND", "was not found"),
                    ("INVALID_BID", "is not a valid business ID"),
                    ("NOT_FOUND_NO_BID", "is missing"),
                    ("INACTIVE", "is inactive"),
                    ("UNDER_LIQUIDATION", "is under liquidation"),
                    ("UNDER_REORGANIZATION", "is under reorganization"),
                    ("BANKRUPT", "is bankrupt"),
                    ("ON_HOLD", "is on hold"),
                    ("PREPAYMENT_REGISTER_NOT_FOUND", "is not in the prepayment register"),
                )
            ],
            (RUN, "OK", "FOUND", "%{registry_name}: %{bid} is an active company."),
            (
                RUN,
                "OK",
                "PREPAYMENT_REGISTER_FOUND",
                "%{registry_name}: %{bid} is active and in the prepayment register.",
            ),
        ],
    ),
    "SENDER_WARNING_LIST": (
        "Sender warning list",
        "Is the sender on the warning list?",
        "Looks the sender up in Maventa's warning list and in the reports of its users.",
        ("Maventa",),
        [
            (RUN, "WARNING", "INVALID_INPUT", "The invoice names no sender."),
            (RUN, "OK", "NOT_FOUND", "%{bid} is not on the warning list."),
            (RUN, "WARNING", "FOUND", "%{bid} is on the warning list."),
            (RUN, "WARNING", "USER_REPORTED_FOUND", "%{bid} has been reported by users."),
        ],
    ),
    "VAT": (
        "VAT registration",
        "Is the sender registered for VAT?",
        "Looks the sender's VAT number up (NO: Brønnøysund, EU: VIES) when VAT is charged.",
        ("VIES", "Brønnøysundregistrene"),
        [
            (RUN, "WARNING", "INVALID_INPUT", "The invoice charges VAT but gives no VAT number."),
            (RUN, "WARNING", "COMPANY_NOT_REGISTERED", "%{vat} is not registered for VAT."),
            (NA, NA, "NO_VAT_CHARGED", "VAT under one unit is not checked."),
            (RUN, "OK", "COMPANY_REGISTERED", "%{registry_name}: %{vat} is registered for VAT."),
        ],
    ),
}
CHECK_NAMES = tuple(CHECKS)
ATTRIBUTES = (
    "name",
    "friendly_name",
    "friendly_names",
    "title",
    "titles",
    "description",
    "descriptions",
    "doc_description",
    "resource_type",
    "scope",
    "scopes",
    "sources",
    "metadata",
    "possible_results",
)
_FI = {"OK": "Kunnossa", "WARNING": "Varoitus"}


def _texts(english: str) -> list[dict[str, str]]:
    return [{"lang": "en", "value": english}]


def _results(name: str) -> list[tuple[str, str, str, str]]:
    """Every result of ``name``, with the three every check has (FIELDS.md section 8)."""
    own = [(s, r, f"{name}_{code}", text) for s, r, code, text in CHECKS[name][4]]
    return own + [
        (NA, NA, f"{name}_NOT_AN_INVOICE", "This is not an invoice. No check is run."),
        (FAILED, "FAILED", f"{name}_FAILED", "The check could not be run."),
        (PENDING, "", f"{name}_PENDING", "The check is running."),
    ]


def reason_text(name: str, reason_code: str, data: dict[str, Any]) -> str:
    text = next((t for _, _, code, t in _results(name) if code == reason_code), reason_code)
    return re.sub(r"%\{(\w+)\}", lambda m: str(data.get(m.group(1), m.group(0))), text)


def title_of(name: str) -> str:
    return CHECKS[name][1]


def definition(name: str, attributes: list[str]) -> dict[str, Any]:
    friendly, title, description, sources, _ = CHECKS[name]
    full = {
        "name": name,
        "friendly_name": friendly,
        "friendly_names": _texts(friendly),
        "title": title,
        "titles": _texts(title),
        "description": description,
        "descriptions": _texts(description),
        "doc_description": description,
        "resource_type": "INVOICE",
        "scope": "RECEIVED_INVOICES",
        "scopes": _texts("Received invoices"),
        "sources": [{"name": source, "names": _texts(source)} for source in sources],
        "metadata": {"criteria": [as_criteria(c) for c in CRITERIA]}
        if name == "SENDER_WARNING_LIST"
        else {"criteria": []},
        "possible_results": [
            {"status": status, "result": result, "reason": text, "reason_code": code}
            for status, result, code, text in _results(name)
        ],
    }
    return {key: value for key, value in full.items() if not attributes or key in attributes}
