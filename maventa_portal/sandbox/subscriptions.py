"""Notification subscriptions: what a request may ask for, and which events reach whom.

Event names follow API.md "Webhooks": ``DOCUMENTS.<TYPE>.<STATE>``, ``NETWORKS.<NETWORK>.<STATE>``
and ``COMPANIES.AUTHORIZATION.<STATE>``, and the assumed ``SERVICES.RECEIVABLES.<STATE>``
(``amili_events``). A ``*`` stands for any one part; a ``*`` at the end
stands for whatever parts follow (``NETWORKS.*`` is every network event). A pattern is refused
unless its family is known and each part it names is one the family has; the document type is
free (``INVOICE``, ``ORDER`` ...) as Maventa lists no closed set. ``CONFIRMED_DELIVERY``, the
schema's spelling, is accepted for ``DELIVERY_CONFIRMED`` (FIELDS.md section 12, item 17).

A ``WEBHOOK`` covers the company whose token registered it. A ``VENDOR_WEBHOOK`` covers every
company linked to the vendor key the token was fetched with, or, given ``vendor_key``, to that
key only (API.md "Webhooks").
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q

from . import accounts, amili_events, profile_rules
from .models import Company, Event, Subscription, Token, Vendor
from .responses import BadRequest

DestinationType = Subscription.DestinationType
DOCUMENT_STATES = ("DELIVERED", "DELIVERY_CONFIRMED", "FAILED", "RECEIVED")
NETWORK_STATES = ("CREATED", "ENABLED", "DISABLED")
AUTHORIZATION_STATES = ("VERIFIED", "UNVERIFIED", "UNKNOWN")
SPELLINGS = {"CONFIRMED_DELIVERY": "DELIVERY_CONFIRMED"}
_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")

# Each family: the allowed values of the parts after its name (None: any upper-case name).
FAMILIES: dict[str, tuple[tuple[str, ...] | None, ...]] = {
    "DOCUMENTS": (None, DOCUMENT_STATES),
    "NETWORKS": (profile_rules.NETWORKS, NETWORK_STATES),
    "COMPANIES": (("AUTHORIZATION",), AUTHORIZATION_STATES),
    # Assumed names of the newer Amili onboarding's outcome (amili_events).
    amili_events.HEAD: ((amili_events.MIDDLE,), amili_events.STATES),
}
MAX_EVENTS = 50
MAX_DESTINATION = 2000  # the column's length: PostgreSQL would refuse more
NO_VENDOR_KEY = (
    "VENDOR_WEBHOOK needs a vendor key: fetch the token with vendor_api_key, or give vendor_key"
)
UNKNOWN_VENDOR_KEY = "vendor_key is not a known vendor API key"


@dataclass(frozen=True)
class Wanted:
    destination_type: str
    destination: str
    events: list[str]
    vendor_key: str | None


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` names no event Maventa announces, or None when it is fine."""
    parts = pattern.split(".")
    allowed = FAMILIES.get(parts[0])
    if allowed is None:
        return f"event {pattern!r}: the family must be one of {', '.join(FAMILIES)}"
    rest = parts[1:]
    if not rest or len(rest) > len(allowed) or (len(rest) < len(allowed) and rest[-1] != "*"):
        return f"event {pattern!r} must be {parts[0]}.<{'>.<'.join(_names(parts[0]))}> or end in *"
    for part, values in zip(rest, allowed, strict=False):
        if part == "*":
            continue
        if values is None and not _TYPE.match(part):
            return f"event {pattern!r}: {part!r} is not a document type (upper case) or *"
        if values is not None and SPELLINGS.get(part, part) not in values:
            return f"event {pattern!r}: {part} is not one of {', '.join(values)} or *"
    return None


def _names(family: str) -> tuple[str, ...]:
    return {
        "DOCUMENTS": ("TYPE", "STATE"),
        "NETWORKS": ("NETWORK", "STATE"),
        "COMPANIES": ("AUTHORIZATION", "STATE"),
        amili_events.HEAD: (amili_events.MIDDLE, "STATE"),
    }[family]


def matches(pattern: str, name: str) -> bool:
    wanted = [SPELLINGS.get(p, p) for p in pattern.split(".")]
    parts = [SPELLINGS.get(p, p) for p in name.split(".")]
    for index, part in enumerate(wanted):
        if part == "*" and index == len(wanted) - 1:
            return len(parts) > index
        if index >= len(parts) or (part != "*" and part != parts[index]):
            return False
    return len(parts) == len(wanted)


def parse_request(data: dict[str, Any]) -> Wanted:
    problems: list[str] = []
    kind = data.get("destination_type")
    if kind is None:
        problems.append("destination_type is missing")
    elif kind not in DestinationType.values:
        problems.append(f"destination_type must be one of {', '.join(DestinationType.values)}")
    destination = data.get("destination")
    if destination is None or destination == "":
        problems.append("destination is missing")
    elif not isinstance(destination, str) or not _is_url(destination):
        problems.append("destination must be an http or https URL")
    elif len(destination) > MAX_DESTINATION:
        problems.append(f"destination is longer than {MAX_DESTINATION} characters")
    events = data.get("events")
    if events is None or events == []:
        problems.append("events is missing")
    elif not isinstance(events, list) or not all(isinstance(e, str) and e for e in events):
        problems.append("events must be a list of event names")
    elif len(events) > MAX_EVENTS:
        problems.append(f"events may name at most {MAX_EVENTS} events")
    else:
        problems += [p for e in events if (p := pattern_problem(e))]
    vendor_key = data.get("vendor_key")
    if vendor_key is not None and (not isinstance(vendor_key, str) or not vendor_key):
        problems.append("vendor_key must be a vendor API key")
    elif vendor_key is not None and kind == DestinationType.WEBHOOK:
        problems.append("vendor_key is for VENDOR_WEBHOOK only")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return Wanted(kind, destination, list(dict.fromkeys(events)), vendor_key)


def _is_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and text.isprintable()


def vendor_for(wanted: Wanted, token: Token) -> Vendor | None:
    if wanted.destination_type != DestinationType.VENDOR_WEBHOOK:
        return None
    if wanted.vendor_key is not None:
        vendor = accounts.find_vendor(wanted.vendor_key)
        if vendor is None:
            raise BadRequest("Invalid parameters", [UNKNOWN_VENDOR_KEY])
        return vendor
    if token.vendor_id is None:
        raise BadRequest("Invalid parameters", [NO_VENDOR_KEY])
    return token.vendor


def create_subscription(*, company: Company, wanted: Wanted, vendor: Vendor | None) -> Subscription:
    return Subscription.objects.create(
        company=company,
        destination_type=wanted.destination_type,
        destination=wanted.destination,
        events=wanted.events,
        vendor=vendor,
    )


def as_notification(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": str(subscription.pk),
        "destination_type": subscription.destination_type,
        "destination": subscription.destination,
        "events": list(subscription.events),
    }


def subscribers_of(event: Event) -> list[Subscription]:
    """The subscriptions ``event`` reaches, oldest first."""
    # One query per event, recorded on busy paths (a sync receives hundreds of invoices).
    found = Subscription.objects.filter(
        Q(destination_type=DestinationType.WEBHOOK, company=event.company_id)
        | Q(destination_type=DestinationType.VENDOR_WEBHOOK, vendor__companies=event.company_id)
    ).distinct()
    return [s for s in found.order_by("created_at", "id") if _wants(s, event.name)]


def _wants(subscription: Subscription, name: str) -> bool:
    return any(matches(pattern, name) for pattern in subscription.events)
