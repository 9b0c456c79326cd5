"""Registering network profiles for a company, with Maventa's rules checked first.

Idempotent: what is already pending or active is left alone and said so. When a POST's
outcome is unknown (timeout) or Maventa says the profile exists, the company's profiles are
listed and mirrored instead of sending again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from maventa_portal.core.audit import Actor, recording
from maventa_portal.maventa_api import AmbiguousOutcome, Api, Invalid
from maventa_portal.maventa_api.ax import profiles as ax_profiles

from ..access import company_api
from ..models import Company, NetworkProfile
from ..profile_rules import (
    ALREADY_REGISTERED,
    INVOICE_PROFILE,
    Plan,
    Step,
    plan_registration,
)

log = logging.getLogger(__name__)

# Maventa's statuses (lower case, FIELDS.md section 3) to ours; `error` is a failed
# registration. `disabled` is ours only: it comes from NETWORKS.*.DISABLED events.
STATUS_FROM_MAVENTA = {
    "pending": NetworkProfile.Status.PENDING,
    "active": NetworkProfile.Status.ACTIVE,
    "error": NetworkProfile.Status.FAILED,
}
CONFLICT_CODES = frozenset({"profile_name_conflict"})
REGISTERED = "{network} {profiles} registered for {company} ({status})."
NOT_FOUND_AFTER_TIMEOUT = (
    "Maventa did not answer in time and shows no {network} registration yet; try again."
)


@dataclass
class RegistrationResult:
    company: Company
    created: list[NetworkProfile] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)

    @property
    def summary(self) -> str:
        return " ".join(self.messages)


def live_pairs(company: Company) -> set[tuple[str, str]]:
    """(network, profile) pending or active, under every name of the network: Maventa answers
    VISMASCANNER for what staff may have asked as SCAN_DOCUMENTS (FIELDS.md section 12, 9)."""
    pairs = set()
    for network, profiles in company.profiles.filter(
        status__in=[NetworkProfile.Status.PENDING, NetworkProfile.Status.ACTIVE]
    ).values_list("network", "profiles"):
        for name in ax_profiles.network_spellings(network):
            pairs.update((name, profile) for profile in profiles)
    return pairs


def register_profiles(
    *,
    company: Company,
    network: str,
    profiles: Iterable[str],
    profile_version: str = "",
    extensions: Iterable[str] = (),
    include_visma: bool = False,
    actor: Actor | None = None,
) -> RegistrationResult:
    """Raises RegistrationRefused (rules), CompanyNotReady (no key) or MaventaError."""
    extensions, profiles = tuple(extensions), tuple(profiles)
    asked = {
        "network": network,
        "profiles": list(profiles),
        "profile_version": profile_version,
        "extensions": list(extensions),
        "include_visma": include_visma,
    }
    with recording(actor, "profiles.register", target=company, asked=asked) as rec:
        result = _register(company, network, profiles, profile_version, extensions, include_visma)
        rec.note = result.summary
    return result


def _register(
    company: Company,
    network: str,
    profiles: tuple[str, ...],
    profile_version: str,
    extensions: tuple[str, ...],
    include_visma: bool,
) -> RegistrationResult:
    plan: Plan = plan_registration(
        company_name=company.name,
        country=company.country,
        network=network,
        profiles=profiles,
        profile_version=profile_version,
        extensions=extensions,
        live=live_pairs(company),
        enabled_agreement_networks=settings.MAVENTA_AGREEMENT_NETWORKS,
        include_visma=include_visma,
    )
    result = RegistrationResult(company)
    if plan.already:
        status = _status_of(company, network, plan.already[0])
        result.messages.append(
            ALREADY_REGISTERED.format(
                network=network, profiles=", ".join(plan.already), status=status, company=company
            )
        )
    if not plan.steps:
        return result
    api = company_api(company)
    for step in plan.steps:
        remote, created = _create_remote(api, step)
        profile = _mirror(company, remote, new=created)
        # Extensions (GACCOUNT10) belong to the invoice profile; API.md names no other use.
        if extensions and step.network == network and INVOICE_PROFILE in step.profiles:
            ax_profiles.set_extensions(
                api, profile_id=remote.id, profile_name=INVOICE_PROFILE, extensions=extensions
            )
            profile.extensions = list(extensions)
            profile.save(update_fields=["extensions", "updated_at"])
        result.created.append(profile)
        result.messages.append(
            REGISTERED.format(
                network=step.network,
                profiles=", ".join(step.profiles),
                company=company,
                status=profile.get_status_display().lower(),
            )
        )
    return result


def _status_of(company: Company, network: str, profile: str) -> str:
    names = ax_profiles.network_spellings(network)
    for row in company.profiles.filter(network__in=names).order_by("-created_at"):
        if profile in row.profiles and row.is_live:
            return row.get_status_display().lower()
    return "registered"


def _create_remote(api: Api, step: Step) -> tuple[ax_profiles.Profile, bool]:
    """Maventa's profile for the step, and whether this call created it."""
    try:
        created = ax_profiles.create_profile(
            api,
            network=step.network,
            profiles=step.profiles,
            profile_version=step.profile_version,
        )
        return created, True
    except AmbiguousOutcome:
        found = _find_remote(api, step)
        if found is None:
            raise
        return found, False
    except Invalid as exc:
        # Registered earlier by someone else (Maventa's UI, another portal): mirror it.
        found = _find_remote(api, step) if exc.code in CONFLICT_CODES else None
        if found is None:
            raise
        return found, False


def sync_profiles(*, company: Company) -> list[NetworkProfile]:
    """Mirrors every profile Maventa holds for the company (``GET /v1/company/profiles``).

    Run before registering again after a lost worker: what that worker may have registered
    becomes known here, so the plan does not send it a second time.
    """
    api = company_api(company)
    return [_mirror(company, remote) for remote in ax_profiles.list_profiles(api)]


def _find_remote(api: Api, step: Step) -> ax_profiles.Profile | None:
    # The client filters by the name it sends (VISMASCANNER for SCAN_DOCUMENTS); Maventa
    # answers that name too, so either name of the step's network is a match.
    names = ax_profiles.network_spellings(step.network)
    for remote in ax_profiles.list_profiles(api, network=[step.network]):
        if remote.network in names and set(step.profiles) <= set(
            remote.profiles or [remote.profile]
        ):
            return remote
    return None


def _mirror(company: Company, remote: ax_profiles.Profile, *, new: bool = False) -> NetworkProfile:
    """Stores Maventa's profile here. ``new``: Maventa has just created it, so the portal
    most likely has no row yet; a webhook that got here first is met by the unique id."""
    status = STATUS_FROM_MAVENTA.get(remote.status, NetworkProfile.Status.PENDING)
    fields = {
        "company": company,
        "network": remote.network,
        "profiles": list(remote.profiles or [remote.profile]),
        "profile_version": remote.profile_version or "",
        "endpoint_id": remote.endpoint_id or "",
        "scheme": remote.scheme or "",
        "raw": remote.as_dict(),
        "last_error": (remote.last_event or {}).get("message", "") if status == "failed" else "",
    }
    if new:
        try:
            # The registration's own audit entry (profiles.register) records this creation;
            # later changes of the profile are recorded by the audit trail as usual.
            with transaction.atomic(), disable_auditlog():
                return NetworkProfile.objects.create(
                    maventa_id=remote.id, status=status, status_changed_at=timezone.now(), **fields
                )
        except IntegrityError:
            pass  # mirrored meanwhile (a webhook): update that row below
    with transaction.atomic():
        profile = NetworkProfile.objects.select_for_update().filter(maventa_id=remote.id).first()
        if profile is None:
            return NetworkProfile.objects.create(
                maventa_id=remote.id, status=status, status_changed_at=timezone.now(), **fields
            )
        for name, value in fields.items():
            setattr(profile, name, value)
        if profile.status != status:
            profile.status = status
            profile.status_changed_at = timezone.now()
        profile.save()
    return profile
