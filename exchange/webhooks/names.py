"""Maventa's event names (API.md "Webhooks") to the portal's families, and the dedupe key.

``DOCUMENTS.<TYPE>.<STATE>``, ``NETWORKS.<NETWORK>.<STATE>`` and
``COMPANIES.AUTHORIZATION.<STATE>``, and ``SERVICES.<SERVICE>.<STATE>`` (a service's onboarding
outcome, FIELDS.md 13; the names are assumed, ``maventa_api.amili``), which another app handles
(``core.webhook_handlers``); a name outside these is stored and flagged, never applied.
Maventa retries a delivery it thinks failed (hourly for 24 hours) and may post one event more
than once: the dedupe key is what makes a repeat the same event. It is built from the fields
that identify an event (name, company, timestamp, and the invoice, document or profile id), not
from the whole body, so that a repeat with reordered keys or other whitespace is still a repeat.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from maventa_portal.maventa_api import amili

from ..models import WebhookEvent

Family = WebhookEvent.Family

DOCUMENT_STATES = frozenset({"DELIVERED", "DELIVERY_CONFIRMED", "FAILED", "RECEIVED"})
NETWORK_STATES = frozenset({"CREATED", "ENABLED", "DISABLED"})
AUTHORIZATION_STATES = frozenset({"VERIFIED", "UNVERIFIED", "UNKNOWN"})
_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")
# event_data keys naming the object of an event: invoices, documents (the sandbox's and, we
# assume, Maventa's naming for document types other than invoices), network profiles.
OBJECT_KEYS = ("invoice_id", "document_id", "id")


def family_of(name: str) -> str:
    parts = name.split(".")
    if len(parts) != 3 or not all(parts):
        return Family.UNKNOWN
    head, middle, state = parts
    if head == "DOCUMENTS" and state in DOCUMENT_STATES:
        return Family.DOCUMENTS
    if head == "NETWORKS" and state in NETWORK_STATES:
        return Family.NETWORKS
    if head == "COMPANIES" and middle == "AUTHORIZATION" and state in AUTHORIZATION_STATES:
        return Family.AUTHORIZATION
    if head == amili.EVENT_HEAD and _UPPER.match(middle) and _UPPER.match(state):
        return Family.SERVICES
    return Family.UNKNOWN


def event_time(value: Any) -> datetime | None:
    """``event_timestamp`` as an aware date-time (Maventa sends an offset); None if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def object_id_of(payload: dict) -> str:
    data = payload.get("event_data")
    if not isinstance(data, dict):
        return ""
    for key in OBJECT_KEYS:
        value = data.get(key)
        if isinstance(value, str | int) and str(value):
            return str(value)[:100]
    return ""


def dedupe_key(payload: dict) -> str:
    """SHA-256 of the identifying fields; the timestamp in UTC so that offsets do not matter."""
    moment = event_time(payload.get("event_timestamp"))
    data = payload.get("event_data") if isinstance(payload.get("event_data"), dict) else {}
    identity = [
        str(payload.get("event", "")),
        str(payload.get("company_id", "")),
        moment.astimezone(UTC).isoformat() if moment else str(payload.get("event_timestamp", "")),
        [str(data.get(key, "")) for key in OBJECT_KEYS],
    ]
    text = json.dumps(identity, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def invalid_key(body: bytes) -> str:
    """An unreadable body has no fields: the body itself identifies its repeats."""
    return hashlib.sha256(b"invalid:" + body).hexdigest()
