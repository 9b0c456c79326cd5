"""The newer Amili onboarding (``/v2/services/amili/receivables``, FIELDS.md 13): its fields,
its state and the events that announce its outcome.

Maventa publishes no schema for it; assumed here (as in the client's ``amili`` module):

- PUT takes the v1 body (FIELDS.md 9) with ``authorization_email`` optional; the service is
  PENDING until whoever signs passes KYC at ``activation_url`` (a sandbox page here), and stays
  ACTIVE when it already was;
- GET answers the v1 fields plus ``activation_url`` and ``own_invoice_image``, ``status`` one of
  DISABLED, PENDING, ACTIVE and REJECTED;
- PATCH ``{own_invoice_image: bool}`` -> 200 the state;
- the outcome is announced by an event (``amili_events``).

The state lives in the service's ``settings`` under ``KEY``, so that v1 keeps its own answer:
a rejection leaves the v1 status DISABLED, an approval ACTIVE, and a v1 PUT starts over without
the v2 part.
"""

import secrets
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import events
from .amili_events import ACTIVATED, REJECTED, event_name
from .models import Company, ReceivablesService
from .receivables_fields import ADDRESS_FIELDS, as_service, parse_activation
from .responses import BadRequest

PATH = "v2/services/amili/receivables"
KEY = "amili_v2"
ACTIVE, PENDING, DISABLED = "ACTIVE", "PENDING", "DISABLED"
REJECTED_STATUS = "REJECTED"
# Longest accepted values: what the portal's columns and Amili's forms hold, so that over-long
# input is refused here as Maventa would, never stored.
MAX_LENGTHS = {
    "iban": 34,
    "bic": 11,
    "bank": 200,
    "contact_person": 200,
    "contact_email": 254,
    "customer_service_email": 254,
    "authorization_email": 254,
    "contact_phone_number": 40,
    "customer_service_phone_number": 40,
}
MAX_ADDRESS = {"country": 2, "city": 100, "zip_code": 20, "streets": 200}
MAX_STREETS = 5
# Stands in for a missing authorization_email while the v1 parser checks the rest.
_NO_EMAIL = "nobody@example.invalid"


class NotPending(Exception):
    """The onboarding is decided already (or was never started)."""


def parse(data: dict) -> dict[str, Any]:
    """The settings as accepted, or BadRequest naming each problem."""
    email = data.get("authorization_email")
    without_email = email is None or email == ""
    settings = parse_activation(
        {**data, "authorization_email": _NO_EMAIL} if without_email else data
    )
    if without_email:
        settings.pop("authorization_email")
    problems = _too_long(settings)
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return settings


def _too_long(settings: dict[str, Any]) -> list[str]:
    problems = [
        f"{name} is longer than {limit} characters"
        for name, limit in MAX_LENGTHS.items()
        if len(settings.get(name) or "") > limit
    ]
    for which in ("billing_address", "postal_address"):
        address = settings.get(which) or {}
        for field in ADDRESS_FIELDS:
            values = address.get(field)
            values = values if isinstance(values, list) else [values or ""]
            if any(len(value) > MAX_ADDRESS[field] for value in values):
                problems.append(f"{which}[{field}] is longer than {MAX_ADDRESS[field]} characters")
        if len(address.get("streets") or []) > MAX_STREETS:
            problems.append(f"{which}[streets] has more than {MAX_STREETS} lines")
    return problems


def service_of(company: Company) -> ReceivablesService | None:
    return ReceivablesService.objects.filter(company=company).first()


def onboarding(service: ReceivablesService | None) -> dict[str, Any]:
    return dict((service.settings or {}).get(KEY) or {}) if service else {}


def status_of(service: ReceivablesService | None) -> str:
    if service is None:
        return DISABLED
    if service.status == DISABLED and onboarding(service).get("status") == REJECTED_STATUS:
        return REJECTED_STATUS
    return service.status


def as_v1(service: ReceivablesService | None) -> dict[str, Any]:
    shown = as_service(service)
    shown.pop(KEY, None)
    return shown


def as_v2(service: ReceivablesService | None) -> dict[str, Any]:
    shown = as_v1(service)
    part = onboarding(service)
    shown["status"] = status_of(service)
    shown["activation_url"] = part.get("activation_url", "")
    shown["own_invoice_image"] = bool(part.get("own_invoice_image", False))
    return shown


def start(company: Company, settings: dict[str, Any], kyc_url) -> ReceivablesService:
    """PENDING with a fresh KYC link (``kyc_url(token)``), unless ACTIVE already."""
    with transaction.atomic():
        service, _ = ReceivablesService.objects.select_for_update().get_or_create(company=company)
        before = onboarding(service)
        token = secrets.token_urlsafe(24)
        part = {
            "id": str(uuid.uuid4()),
            "token": token,
            "activation_url": kyc_url(token),
            "own_invoice_image": bool(before.get("own_invoice_image", False)),
            "status": PENDING,
        }
        if service.status == ACTIVE:
            part |= {"status": ACTIVE, "activation_url": "", "token": ""}
        else:
            service.status = PENDING
        service.settings = {**settings, KEY: part}
        service.save()
    return service


def set_own_invoice_image(company: Company, value: bool) -> ReceivablesService | None:
    with transaction.atomic():
        service = ReceivablesService.objects.select_for_update().filter(company=company).first()
        if service is None:
            return None
        part = onboarding(service)
        part["own_invoice_image"] = value
        service.settings = {**service.settings, KEY: part}
        service.save(update_fields=["settings", "updated_at"])
    return service


def by_token(token: str) -> ReceivablesService | None:
    if not token or len(token) > 64:
        return None
    lookup = {f"settings__{KEY}__token": token}
    return ReceivablesService.objects.filter(**lookup).select_related("company").first()


def decide(service: ReceivablesService, approve: bool) -> ReceivablesService:
    """KYC passed (ACTIVE) or failed (REJECTED); the event goes to the company's subscribers.
    NotPending unless the onboarding is waiting for this."""
    with transaction.atomic():
        service = ReceivablesService.objects.select_for_update().get(pk=service.pk)
        part = onboarding(service)
        if service.status != PENDING or part.get("status") != PENDING:
            raise NotPending(status_of(service))
        if approve:
            service.status, service.activated_at = ACTIVE, timezone.now()
            part["status"] = ACTIVE
        else:
            service.status = DISABLED
            part["status"] = REJECTED_STATUS
        part["decided_at"] = timezone.now().isoformat()
        service.settings = {**service.settings, KEY: part}
        service.save()
        state = ACTIVATED if approve else REJECTED
        data = {"id": part.get("id", ""), "status": status_of(service)}
        events.record_event(service.company, event_name(state), data)
    return service
