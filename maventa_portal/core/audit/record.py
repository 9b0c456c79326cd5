"""Writing audit entries for what staff asked: ``recording`` around a service's work.

An entry is written after the work, outside any transaction the work opened, so that a
rollback never takes the record of a failure with it. ``asked`` must hold no secret: pass
what was asked (names, ids, choices), never keys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from ..errors import PortalError, staff_message_of
from ..models import AuditEntry
from ..net import client_ip

log = logging.getLogger(__name__)

Outcome = AuditEntry.Outcome


@dataclass(frozen=True)
class Actor:
    """Who asked, from where, and through what (the portal, the admin, a bulk run, a CSV line)."""

    user: Any = None
    remote_addr: str | None = None
    via: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, via: str = "portal") -> Actor:
        user = getattr(request, "user", None)
        return cls(
            user=user if getattr(user, "is_authenticated", False) else None,
            remote_addr=client_ip(request) or None,
            via=via,
        )

    def but(self, *, via: str) -> Actor:
        return replace(self, via=via)


SYSTEM = Actor(via="system")


def _company_id(target: Any, company: Any) -> int | None:
    if company is not None:
        return getattr(company, "pk", company)
    if isinstance(target, models.Model) and target._meta.label == "companies.Company":
        return target.pk
    return getattr(target, "company_id", None)


def record(
    *,
    actor: Actor | None,
    event: str,
    target: models.Model | type[models.Model],
    company: Any = None,
    asked: dict[str, Any] | None = None,
    outcome: str = Outcome.DONE,
    reason: str = "",
    description: str = "",
) -> AuditEntry:
    """Writes one entry. ``target`` is the object acted on, or its model when there is none."""
    actor = actor or SYSTEM
    instance = target if isinstance(target, models.Model) else None
    # __class__, not type(): request.user is a lazy proxy whose type() is SimpleLazyObject.
    model = target.__class__ if instance is not None else target
    user = actor.user if getattr(actor.user, "pk", None) else None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(instance.pk) if instance is not None and instance.pk else "",
        object_id=instance.pk if instance is not None and isinstance(instance.pk, int) else None,
        object_repr=(description or (str(instance) if instance is not None else ""))[:500],
        action=AuditEntry.Action.ACCESS,
        actor=user,
        actor_email=getattr(user, "email", None) or None,
        remote_addr=actor.remote_addr,
        event=event,
        asked=asked or {},
        outcome=outcome,
        reason=reason,
        via=actor.via[:120],
        company_id=_company_id(instance, company),
    )


@dataclass
class Recording:
    """Filled in by the work: the object it made, the company it concerned, a closing note."""

    target: models.Model | None = None
    company: Any = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@contextmanager
def recording(
    actor: Actor | None,
    event: str,
    *,
    target: models.Model | type[models.Model],
    company: Any = None,
    asked: dict[str, Any] | None = None,
    description: str = "",
) -> Iterator[Recording]:
    """Records ``event`` as done, refused (the portal's or Maventa's validation) or failed."""
    rec = Recording(company=company)
    try:
        yield rec
    except Exception as exc:
        refused = (
            isinstance(exc, ValidationError)
            or (isinstance(exc, PortalError) and exc.refusal)
            or getattr(exc, "status", 0) in (400, 422)
        )
        _write(
            actor,
            event,
            rec,
            target,
            asked,
            description,
            outcome=Outcome.REFUSED if refused else Outcome.FAILED,
            reason=staff_message_of(exc),
        )
        raise
    _write(actor, event, rec, target, asked, description, outcome=Outcome.DONE, reason=rec.note)


def _write(actor, event, rec, target, asked, description, *, outcome, reason) -> None:
    try:
        record(
            actor=actor,
            event=event,
            target=rec.target or target,
            company=rec.company,
            asked={**(asked or {}), **rec.extra},
            outcome=outcome,
            reason=reason,
            description=description,
        )
    except Exception:
        # The work is done (or failed) whatever happens here; say so loudly, lose nothing else.
        log.exception("Could not write the audit entry for %s", event)
