"""The code lists forms offer, from Maventa's definition endpoints, cached, with our fallback.

Fraud reasons come from `GET /v1/invoices/reports/definitions`, Detect checks from
`GET /v1/analysis/definitions` (both public, FIELDS.md sections 5 and 8). An answer is kept
in the cache for a day; when Maventa cannot be asked, the portal's own table (the values the
schema lists) stands in, so a form never fails for want of its choices.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache

from maventa_portal import maventa
from maventa_portal.maventa_api import MaventaError
from maventa_portal.maventa_api.ax import analysis as ax_analysis
from maventa_portal.maventa_api.ax import reports as ax_reports

log = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60
Choices = list[tuple[str, str]]

FRAUD_REASONS_FALLBACK: Choices = [
    ("NONEXISTENT_PRODUCT", "The product or service does not exist"),
    ("OFFERS_AS_INVOICES", "An offer disguised as an invoice"),
    ("UNKNOWN_COMPANY", "Unknown company"),
    ("INVOICE_NOT_FOLLOWING_LAW", "The invoice does not follow the law"),
    ("MISLEADING_NAME", "Misleading name"),
    ("IMPOSSIBLE_TO_CONTACT", "Impossible to contact"),
    ("MISLEADING_MARKETING", "Misleading marketing"),
    ("COMPANY_NOT_FOLLOWING_LAW", "The company does not follow the law"),
    ("KNOWN_FOR_FRAUD_ATTEMPTS", "Known for fraud attempts"),
    ("KNOWN_FOR_SUSPICIOUS_ACTIVITIES", "Known for suspicious activities"),
]
DETECT_CHECKS_FALLBACK: Choices = [
    ("SUPPLIER_ACTIVATION", "Could the supplier send e-invoices?"),
    ("BANK_ACCOUNT_CHANGED", "Has the bank account changed?"),
    ("SENDER_BID_STATUS", "Is the sender's business registered and active?"),
    ("SENDER_WARNING_LIST", "Is the sender on a warning list?"),
    ("VAT", "Is the sender registered for VAT?"),
]
INVOICE_FORMATS: Choices = [
    (name, name)
    for name in ("FINVOICE30", "PEPPOLBIS30", "TEAPPS30", "TEAPPS27", "FINVOICE20", "EHF20")
]


def _cached(key: str, fetch: Callable[[], Choices], fallback: Choices) -> Choices:
    found = cache.get(key)
    if found:
        return found
    try:
        found = fetch()
    except MaventaError as exc:
        log.warning("Maventa's definitions (%s) unavailable, the portal's own used: %s", key, exc)
        return fallback
    if not found:
        return fallback
    cache.set(key, found, CACHE_SECONDS)
    return found


def fraud_reasons() -> Choices:
    def fetch() -> Choices:
        definitions = ax_reports.report_definitions(maventa.get_client().public())
        return [
            (item.name, item.friendly_name or item.text or item.name)
            for item in definitions.criteria
            if item.name
        ]

    return _cached("exchange:fraud-reasons", fetch, FRAUD_REASONS_FALLBACK)


def detect_checks() -> Choices:
    def fetch() -> Choices:
        definitions = ax_analysis.analysis_definitions(maventa.get_client().public())
        return [
            (item.name, item.title or item.friendly_name or item.name)
            for item in definitions.checks
            if item.name
        ]

    return _cached("exchange:detect-checks", fetch, DETECT_CHECKS_FALLBACK)


def label(choices: Choices, value: str) -> str:
    return dict(choices).get(value, value)
