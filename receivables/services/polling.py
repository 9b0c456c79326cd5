"""The schedules' work: every company with receivables mirrored from Maventa, one by one.

Maventa's webhooks say nothing of new messages from Amili, so polling is how they arrive; a
company that fails (its key refused, Maventa down) is logged and the others go on.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError
from django.db.models import Q

from companies.models import Company
from maventa_portal.core.errors import STAFF_ERRORS, staff_message_of

from .service_levels import sync_levels
from .sync import SyncResult, sync_assignments, sync_message_threads

log = logging.getLogger(__name__)


def companies_with_receivables():
    """Companies whose service is active, or that have cases or conversations already."""
    return (
        Company.objects.filter(
            Q(receivables_activation__status="ACTIVE")
            | Q(assignments__isnull=False)
            | Q(message_threads__isnull=False)
        )
        .distinct()
        .select_related("credential", "vendor_key")
        .order_by("pk")
    )


def poll_messages() -> dict[str, int]:
    return _each(sync_message_threads)


def poll_assignments() -> dict[str, int]:
    return _each(_assignments_and_levels)


def _assignments_and_levels(*, company: Company) -> SyncResult:
    # Levels after the cases: their debtors are the customers staff set levels for.
    result = sync_assignments(company=company)
    sync_levels(company=company)
    return result


def _each(sync) -> dict[str, int]:
    counts = {"companies": 0, "failed": 0, "created": 0, "updated": 0}
    for company in companies_with_receivables():
        try:
            result: SyncResult = _once_more_after_a_race(sync, company)
        except STAFF_ERRORS as exc:
            log.warning("Receivables of %s not mirrored: %s", company, staff_message_of(exc))
            counts["failed"] += 1
            continue
        counts["companies"] += 1
        counts["created"] += result.created
        counts["updated"] += result.updated
    return counts


def _once_more_after_a_race(sync, company: Company) -> SyncResult:
    """A poll that outlives its interval overlaps the next one, and both may insert the same new
    message: the loser's second pass finds the row and updates it instead."""
    try:
        return sync(company=company)
    except IntegrityError:
        log.info("Receivables of %s were stored by an overlapping poll; syncing again", company)
        return sync(company=company)
