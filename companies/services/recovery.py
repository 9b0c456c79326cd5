"""Nothing orphaned at Maventa: what a creation got from Maventa is kept until it is saved.

Two cases end here. Maventa created the company and the local save failed: the Maventa id
and the new user's key are kept. Or ``POST /v1/companies`` lost its answer (a timeout after
sending) and the company could not be found by business id: the new user's key is kept, so
that the retry looks the company up again and, if Maventa still lacks it, creates it with
the same user instead of making another.
"""

from __future__ import annotations

import logging
import time
from typing import NoReturn

from django.db import transaction
from django.utils import timezone

from maventa_portal import maventa
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import PortalError, staff_message_of
from maventa_portal.maventa_api import MaventaError
from maventa_portal.maventa_api.ax import companies as ax_companies

from ..models import Company, UnsavedCompany

log = logging.getLogger(__name__)

CREATED_NOT_SAVED = (
    "Maventa created {name} (Maventa id {maventa_id}), but the portal could not save it: "
    "{reason} Nothing is lost: its id and new API key are kept under “Created on Maventa, not "
    "saved here” on the companies page; save it from there."
)
OUTCOME_UNKNOWN = (
    "{reason} Maventa does not show {name} yet, so it may not have been created. The portal "
    "keeps the new user's API key: create the company again with the same business id and "
    "the portal checks Maventa first, then continues where it stopped."
)
SAVE_FAILED = "the database refused it ({kind})."
OPERATOR_LOOKUP_SCOPE = "operator:companies"
# Seconds to wait before each lookup after a lost answer: three looks within three seconds.
LOOKUP_WAITS = (0.0, 1.0, 2.0)


class KeptForLater(PortalError):
    """Maventa made something the portal could not save; it is kept, the work has failed."""

    refusal = False


def open_for(*, country: str, bid: str) -> UnsavedCompany | None:
    return UnsavedCompany.objects.filter(country=country, bid=bid, resolved_at=None).first()


def open_unsaved():
    return UnsavedCompany.objects.filter(resolved_at=None).select_related("created_by")


def _reason(cause: BaseException) -> str:
    if isinstance(cause, MaventaError | PortalError) or hasattr(cause, "messages"):
        return staff_message_of(cause)
    return SAVE_FAILED.format(kind=type(cause).__name__)


def keep(
    draft: Company,
    *,
    maventa_id: str | None,
    api_key: str,
    actor: Actor | None,
    cause: BaseException,
) -> NoReturn:
    """Stores what Maventa gave for ``draft``, then refuses with the way forward."""
    reason = _reason(cause)
    user = getattr(actor, "user", None)
    try:
        with transaction.atomic():
            pending = open_for(country=draft.country, bid=draft.bid) or UnsavedCompany(
                country=draft.country, bid=draft.bid
            )
            pending.name = draft.name
            pending.details = {
                field: getattr(draft, field)
                for field in ("email", "address1", "post_code", "post_office", "city")
            }
            pending.maventa_id = maventa_id or pending.maventa_id
            pending.vendor_key = draft.vendor_key
            pending.set_api_key(api_key)
            pending.reason = reason
            pending.created_by = user if getattr(user, "pk", None) else None
            pending.save()
    except Exception:
        # The key cannot be stored either; the id at least reaches the log (never the key).
        log.exception(
            "Could not keep company %s %s (Maventa id %s)", draft.country, draft.bid, maventa_id
        )
    log.warning(
        "Kept company %s %s for later (Maventa id %s): %s",
        draft.country,
        draft.bid,
        maventa_id,
        reason,
    )
    message = CREATED_NOT_SAVED if maventa_id else OUTCOME_UNKNOWN
    raise KeptForLater(
        message.format(name=draft.name, maventa_id=maventa_id, reason=reason)
    ) from cause


def find_at_maventa(*, country: str, bid: str) -> str | None:
    """The Maventa id of the company with this business id, by the operator's lookup."""
    api = maventa.get_client().operator(maventa.operator_credentials(OPERATOR_LOOKUP_SCOPE))
    found = ax_companies.operator_companies(api, bid=bid, country=country)
    return found[0].id if found else None


def look_up(draft: Company, *, api_key: str, actor: Actor | None, cause: BaseException) -> str:
    """After a lost answer: Maventa's id for the draft's company, or keep and refuse."""
    maventa_id = None
    # Maventa may still be finishing the request whose answer was lost: look a few times.
    for wait in LOOKUP_WAITS:
        time.sleep(wait)
        try:
            maventa_id = find_at_maventa(country=draft.country, bid=draft.bid)
        except MaventaError as exc:
            log.warning("Lookup after a lost company creation failed: %s", exc)
            break
        if maventa_id is not None:
            break
    if maventa_id is None:
        keep(draft, maventa_id=None, api_key=api_key, actor=actor, cause=cause)
    log.info("Company %s %s was created despite the lost answer", draft.country, draft.bid)
    return maventa_id


def resolve(*, country: str, bid: str, company: Company) -> None:
    """Marks what was kept for this business id as saved, now that ``company`` holds it."""
    UnsavedCompany.objects.filter(country=country, bid=bid, resolved_at=None).update(
        resolved_at=timezone.now(), company=company
    )
