"""Keeping company states and profile statuses current: from webhooks, and by polling.

Webhooks are not guaranteed (API.md, Webhooks), so a schedule polls what is still moving.
Events may arrive late or twice: an event older than the state we hold is ignored.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import STAFF_ERRORS
from maventa_portal.maventa_api import NotFound
from maventa_portal.maventa_api.ax import companies as ax_companies
from maventa_portal.maventa_api.ax import profiles as ax_profiles
from maventa_portal.maventa_api.ax.companies import normalise_company_state

from ..access import company_api
from ..models import Company, NetworkProfile
from .profiles import STATUS_FROM_MAVENTA

log = logging.getLogger(__name__)

# NETWORKS.<NETWORK>.<STATE> (API.md, Webhooks) to our profile status.
NETWORK_EVENT_STATUS = {
    "CREATED": NetworkProfile.Status.PENDING,
    "ENABLED": NetworkProfile.Status.ACTIVE,
    "DISABLED": NetworkProfile.Status.DISABLED,
}


class UnknownCompany(Exception):
    pass


def _event_time(value: Any) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed or timezone.now()


def apply_authorization_event(
    *, company_id: str, state: str, event_timestamp: str | None = None
) -> Company:
    """COMPANIES.AUTHORIZATION.<STATE>: records the company's new KYC state."""
    at = _event_time(event_timestamp)
    with transaction.atomic():
        company = Company.objects.select_for_update().filter(maventa_id=company_id).first()
        if company is None:
            raise UnknownCompany(f"No company with Maventa id {company_id} in the portal.")
        if company.state_changed_at and at < company.state_changed_at:
            log.info("Ignored an authorization event for %s older than its state", company_id)
            return company
        if company.set_state(normalise_company_state(state), at=at):
            company.save(update_fields=["company_state", "state_changed_at", "updated_at"])
    return company


def apply_network_event(
    *,
    company_id: str,
    event: str,
    event_data: dict[str, Any],
    event_timestamp: str | None = None,
) -> NetworkProfile:
    """NETWORKS.<NETWORK>.CREATED|ENABLED|DISABLED, with event_data {network, profiles, id}."""
    parts = event.split(".")
    state = parts[-1] if parts else ""
    status = NETWORK_EVENT_STATUS.get(state)
    if status is None:
        raise ValueError(f"Not a network event: {event}")
    at = _event_time(event_timestamp)
    network = event_data.get("network") or (parts[1] if len(parts) == 3 else "")
    with transaction.atomic():
        company = Company.objects.filter(maventa_id=company_id).first()
        if company is None:
            raise UnknownCompany(f"No company with Maventa id {company_id} in the portal.")
        profile, created = NetworkProfile.objects.select_for_update().get_or_create(
            maventa_id=event_data.get("id") or None,
            defaults={
                "company": company,
                "network": network,
                "profiles": list(event_data.get("profiles") or []),
                "status": status,
                "status_changed_at": at,
            },
        )
        stale = profile.status_changed_at and at < profile.status_changed_at
        # CREATED never moves an active profile back to pending.
        backwards = status == NetworkProfile.Status.PENDING and profile.status != status
        if not created and not stale and not backwards and profile.status != status:
            profile.status = status
            profile.status_changed_at = at
            profile.save(update_fields=["status", "status_changed_at", "updated_at"])
    return profile


def refresh_company_state(*, company: Company) -> Company:
    """GET /v1/company/authorization for one company."""
    status = ax_companies.authorization_status(company_api(company))
    with transaction.atomic():
        company.refresh_from_db()
        company.set_state(status.company_state)
        company.auth_state = status.auth_state
        company.state_checked_at = timezone.now()
        company.save()
    return company


def request_verification(
    *,
    company: Company,
    auth_email: str,
    locale: str,
    options: str = "",
    actor: Actor | None = None,
) -> Company:
    """Asks Maventa to send the KYC signing request (Visma Sign) to the company's signatory.

    ``options``: JSON text proving the partner's own KYC, mandatory at Maventa when the partner
    runs KYC itself (FIELDS.md section 2); sent only when given.
    """
    asked = {"auth_email": auth_email, "locale": locale}
    if options:
        # That KYC proved, not the proof: it may hold personal data the audit trail need not.
        asked["kyc_proof"] = f"given ({len(options)} characters)"
    with recording(actor, "company.request_verification", target=company, asked=asked):
        ax_companies.request_authorization(
            company_api(company), auth_email=auth_email, locale=locale, options=options
        )
        return refresh_company_state(company=company)


def refresh_company(*, company: Company, actor: Actor | None = None) -> Company:
    """Staff's "Refresh from Maventa": the KYC state and every registered profile."""
    with recording(actor, "company.refresh", target=company) as rec:
        refresh_company_state(company=company)
        profiles = list(company.profiles.exclude(maventa_id=None))
        for profile in profiles:
            refresh_profile(profile=profile)
        rec.note = f"State {company.company_state}; {len(profiles)} profiles refreshed."
    return company


def refresh_profile(*, profile: NetworkProfile) -> NetworkProfile:
    api = company_api(profile.company)
    try:
        remote = ax_profiles.get_profile(api, profile_id=profile.maventa_id)
    except NotFound:
        remote = None
    with transaction.atomic():
        profile.refresh_from_db()
        if remote is None:
            status, error = NetworkProfile.Status.DISABLED, "Maventa no longer has this profile."
        else:
            status = STATUS_FROM_MAVENTA.get(remote.status, profile.status)
            error = (remote.last_event or {}).get("message", "") if status == "failed" else ""
            profile.raw = remote.as_dict()
            profile.extensions = _extensions_of(remote) or profile.extensions
        if status != profile.status:
            profile.status = status
            profile.status_changed_at = timezone.now()
        profile.last_error = error
        profile.save()
    return profile


def _extensions_of(remote: ax_profiles.Profile) -> list[str]:
    found: list[str] = []
    for entry in remote.profiles_with_extensions:
        found.extend(entry.get("extensions") or [])
    return found


def refresh_moving_states() -> dict[str, int]:
    """The schedule's work: pending profiles and companies not yet verified.

    One failure (Maventa down for a company, a missing key) is logged and counted; the rest go on.
    """
    pending = NetworkProfile.objects.filter(
        status=NetworkProfile.Status.PENDING, maventa_id__isnull=False
    ).select_related("company", "company__credential", "company__vendor_key")
    unverified = (
        Company.objects.exclude(company_state=Company.State.VERIFIED)
        .filter(maventa_id__isnull=False, credential__isnull=False)
        .select_related("credential", "vendor_key")
    )
    counts = {"profiles": 0, "companies": 0, "failed": 0}
    for kind, rows, refresh in (
        ("profiles", pending, lambda row: refresh_profile(profile=row)),
        ("companies", unverified, lambda row: refresh_company_state(company=row)),
    ):
        for row in rows:
            try:
                refresh(row)
                counts[kind] += 1
            except STAFF_ERRORS as exc:
                counts["failed"] += 1
                log.warning("Could not refresh %s %s: %s", kind, row.pk, exc)
    return counts
