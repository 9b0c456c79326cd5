"""Writes to network registrations and their answer shape (FIELDS.md section 3).

Every status change is a conditional UPDATE (``WHERE status = <the status we saw>``) so that two
threads noticing the same due change, a read and a tick say, make it once and record one event.

Events: ``CREATED`` on registration; ``ENABLED`` on entering ``active``; ``DISABLED`` on leaving
``active`` (deletion included) and on entering ``error`` (the network will not serve it).

Deletion (``DELETE /v1/company/profiles/{id}``, 409 ``profile_deletion_not_allowed``): refused
while the registration is pending (Maventa is still processing it: wait for active or error),
and for VISMA invoice receiving while a network that needs it (PEPPOL, SCAN, ...) is pending or
active, since removing it would leave that network receiving into nothing.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import events, profile_rules
from .models import Company, Registration
from .responses import isoformat

Status = Registration.Status
STILL_PENDING = "The registration is still pending: it can be deleted once active or in error"
STILL_NEEDED = "VISMA invoice receiving is needed by {networks}: delete those first"
FAILED = "Registration failed"


class DeletionRefused(Exception):
    pass


def as_profile(registration: Registration, *, with_extensions: bool = False) -> dict[str, Any]:
    """APIEntitiesCompanyProfile. Optional fields with no value are left out, never null: the
    schema marks no field nullable (FIELDS.md section 0)."""
    profiles = list(registration.profiles)
    body: dict[str, Any] = {
        "id": str(registration.pk),
        "status": registration.status,
        "profiles": profiles,
        "endpoint_id": registration.endpoint_id,
        "scheme": registration.scheme,
        # The schema's spelling, whichever was asked for (FIELDS.md section 12, item 9).
        "network": profile_rules.same_network(registration.network),
    }
    if profiles:
        body["profile"] = profiles[0]  # deprecated by Maventa, still answered: the first name
    if registration.profile_version:
        body["profile_version"] = registration.profile_version
    if registration.network_settings is not None:
        body["network_settings"] = registration.network_settings
    if registration.last_event_at is not None:
        body["last_event"] = {
            "message": registration.last_event_message,
            "created_at": isoformat(registration.last_event_at),
        }
    if with_extensions:
        body["profiles_with_extensions"] = [
            {"profile_name": name, "extensions": list(registration.extensions.get(name, []))}
            for name in profiles
        ]
    return body


def create_registration(
    *,
    company: Company,
    network: str,
    profiles: list[str],
    endpoint_id: str,
    scheme: str,
    activates_at: datetime | None,
    created_at: datetime,
    profile_version: str | None = None,
    network_settings: dict[str, Any] | None = None,
) -> Registration:
    with transaction.atomic():
        registration = Registration.objects.create(
            company=company,
            network=network,
            profiles=profiles,
            profile_version=profile_version or "",
            endpoint_id=endpoint_id,
            scheme=scheme,
            network_settings=network_settings,
            activates_at=activates_at,
            created_at=created_at,
        )
        events.network_event(registration, events.CREATED, created_at)
    return registration


def _move(registration: Registration, status: str, at: datetime, **fields: Any) -> bool:
    """Moves the registration from the status it was read in; False when someone was first."""
    moved = Registration.objects.filter(pk=registration.pk, status=registration.status).update(
        status=status, updated_at=at, **fields
    )
    if not moved:
        return False
    before = registration.status
    registration.status = status
    for name, value in fields.items():
        setattr(registration, name, value)
    if status == Status.ACTIVE:
        events.network_event(registration, events.ENABLED, at)
    elif before == Status.ACTIVE or status == Status.ERROR:
        events.network_event(registration, events.DISABLED, at)
    return True


def activate_due(registrations, now: datetime) -> int:
    """Pending registrations whose ``activates_at`` has passed turn active, dated then."""
    count = 0
    due = registrations.filter(status=Status.PENDING, activates_at__lte=now)
    if not due.exists():  # asked by every exchange read: the usual answer stays cheap
        return 0
    for registration in due.select_related("company").order_by("activates_at", "id"):
        with transaction.atomic():
            count += _move(registration, Status.ACTIVE, registration.activates_at)
    return count


def force_status(registration: Registration, status: str, message: str = "") -> Registration:
    """The control API's verdict: the status stays until changed again (no lifecycle)."""
    now = timezone.now()
    fields: dict[str, Any] = {"activates_at": None}
    if status == Status.ERROR:
        fields |= {"last_event_message": message or FAILED, "last_event_at": now}
    with transaction.atomic():
        if registration.status == status:
            Registration.objects.filter(pk=registration.pk).update(updated_at=now, **fields)
            for name, value in fields.items():
                setattr(registration, name, value)
        else:
            _move(registration, status, now, **fields)
    registration.refresh_from_db()
    return registration


def delete_registration(registration: Registration) -> None:
    if registration.status == Status.PENDING:
        raise DeletionRefused(STILL_PENDING)
    if registration.network == "VISMA" and profile_rules.INVOICES in registration.profiles:
        company = registration.company
        others = profile_rules.live(company).exclude(pk=registration.pk)
        still_visma = any(
            profile_rules.INVOICES in r.profiles for r in others.filter(network="VISMA")
        )
        needing = sorted({r.network for r in others.filter(network__in=profile_rules.NEEDS_VISMA)})
        if needing and not still_visma:
            raise DeletionRefused(STILL_NEEDED.format(networks=", ".join(needing)))
    with transaction.atomic():
        deleted, _ = Registration.objects.filter(pk=registration.pk).delete()
        if deleted and registration.status == Status.ACTIVE:
            events.network_event(registration, events.DISABLED)


def set_extensions(registration: Registration, profile_name: str, extensions: list[str]) -> None:
    registration.extensions = {**registration.extensions, profile_name: extensions}
    registration.save(update_fields=["extensions", "updated_at"])


def set_network_settings(registration: Registration, settings: dict[str, Any] | None) -> None:
    registration.network_settings = settings
    registration.save(update_fields=["network_settings", "updated_at"])
