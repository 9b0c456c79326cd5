"""Time in the imitated Maventa: KYC completing, registrations turning active.

Maventa does these on its own schedule (KYC after the signer signs, BANK in 1-3 days); the
sandbox does them a configured number of seconds after the fact, in memory like the faults
(``PUT /_control/lifecycle``, cleared by ``POST /_control/reset``):

- ``profile_activation_seconds`` (2): a registration is pending that long after creation;
- ``kyc_seconds`` (5; null = never by itself): a company registered UNVERIFIED becomes VERIFIED
  that long after creation, its ``auth_state`` SIGNED, and a Finnish one gets a BANK registration
  requested then (API.md: "requested automatically when KYC completes");
- ``bank_activation_seconds`` (10): how long that BANK registration (or any BANK) stays pending.

The due moments are stored on the rows when they are created (``Company.verify_at``,
``Registration.activates_at``), so a later change of the configuration affects only new rows.
A change is made by whoever notices it is due first, a read of the company (``advance``) or
``tick``, and is dated at its due moment: both give the same rows and the same events.
"""

import threading
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import events, profile_rules, registrations
from .endpoints import resolve_endpoint
from .models import Company, Registration
from .responses import BadRequest


@dataclass
class LifecycleConfig:
    profile_activation_seconds: float = 2.0
    kyc_seconds: float | None = 5.0
    bank_activation_seconds: float = 10.0


class Schedule:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config = LifecycleConfig()

    def reset(self) -> None:
        with self._lock:
            self._config = LifecycleConfig()

    def configure(self, data: Any) -> dict[str, Any]:
        """Replaces the whole configuration: keys left out fall back to their defaults."""
        config = parse_config(data)
        with self._lock:
            self._config = config
        return asdict(config)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._config)

    @property
    def config(self) -> LifecycleConfig:
        with self._lock:
            return self._config


schedule = Schedule()


def parse_config(data: Any) -> LifecycleConfig:
    if not isinstance(data, dict):
        raise BadRequest("The lifecycle configuration must be a JSON object")
    known = {f.name for f in fields(LifecycleConfig)}
    problems = [f"unknown field {key}" for key in data if key not in known]
    config = LifecycleConfig()
    for name in known:
        value = data.get(name, getattr(config, name))
        if value is None and name == "kyc_seconds":
            config.kyc_seconds = None
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            nullable = " or null" if name == "kyc_seconds" else ""
            problems.append(f"{name} must be a number of seconds, at least 0{nullable}")
        else:
            setattr(config, name, float(value))
    if problems:
        raise BadRequest("Invalid lifecycle configuration", problems)
    return config


def kyc_due(start: datetime) -> datetime | None:
    seconds = schedule.config.kyc_seconds
    return None if seconds is None else start + timedelta(seconds=seconds)


def activation_due(network: str, start: datetime) -> datetime:
    config = schedule.config
    if network == "BANK":
        return start + timedelta(seconds=config.bank_activation_seconds)
    return start + timedelta(seconds=config.profile_activation_seconds)


def request_bank(company: Company, at: datetime) -> Registration | None:
    """The BANK registration Maventa requests for a Finnish company once it is verified."""
    if company.country != Company.Country.FI:
        return None
    if profile_rules.live(company).filter(network="BANK").exists():
        return None  # already requested by the company itself
    endpoint_id, scheme = resolve_endpoint(company, "BANK")
    return registrations.create_registration(
        company=company,
        network="BANK",
        profiles=[profile_rules.INVOICES],
        endpoint_id=endpoint_id,
        scheme=scheme,
        created_at=at,
        activates_at=activation_due("BANK", at),
    )


@dataclass(frozen=True)
class StateChange:
    moved: bool
    bank: Registration | None = None


def change_state(company: Company, state: str, at: datetime) -> StateChange:
    """Moves ``company_state`` from what was read and records the event; ``moved`` is False when
    someone was first. Becoming VERIFIED signs the authorization and, for a Finnish company,
    requests BANK.
    """
    update: dict[str, Any] = {"company_state": state, "verify_at": None, "updated_at": at}
    if state == Company.State.VERIFIED:
        update["auth_state"] = Company.AuthState.SIGNED
    with transaction.atomic():
        moved = Company.objects.filter(pk=company.pk, company_state=company.company_state).update(
            **update
        )
        if not moved:
            return StateChange(False)
        for name, value in update.items():
            setattr(company, name, value)
        events.authorization_event(company, state, at)
        bank = request_bank(company, at) if state == Company.State.VERIFIED else None
    return StateChange(True, bank)


def verify_due(companies, now: datetime) -> tuple[int, int]:
    """``(companies verified, BANK registrations requested)``."""
    due = companies.filter(
        company_state=Company.State.UNVERIFIED, verify_at__isnull=False, verify_at__lte=now
    )
    verified = bank = 0
    for company in due.order_by("verify_at", "id"):
        change = change_state(company, Company.State.VERIFIED, company.verify_at)
        verified += change.moved
        bank += change.bank is not None
    return verified, bank


def advance(company: Company) -> Company:
    """Brings one company and its registrations up to now; the lazy half of the lifecycle."""
    now = timezone.now()
    changed = 0
    # The company in hand says whether it is due: most requests need no query for it.
    if company.company_state == Company.State.UNVERIFIED and company.verify_at:
        changed, _ = verify_due(Company.objects.filter(pk=company.pk), now)
    changed += registrations.activate_due(company.registrations.all(), now)
    if changed:
        company.refresh_from_db()
    return company


def tick() -> dict[str, int]:
    """Every due change, across all companies; verification first, as it may request BANK."""
    now = timezone.now()
    verified, bank_requested = verify_due(Company.objects.all(), now)
    activated = registrations.activate_due(Registration.objects.all(), now)
    return {
        "companies_verified": verified,
        "bank_requested": bank_requested,
        "profiles_activated": activated,
    }
