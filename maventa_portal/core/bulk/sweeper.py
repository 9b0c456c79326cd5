"""The sweeper (a schedule, every minute): nothing stays "running" or "working" for good.

- An item whose lease has expired was held by a worker that died (or hung past its lease):
  it goes back to pending, and its kind looks Maventa up before sending again (the item's
  ``attempts`` tells it that an earlier attempt may have reached Maventa). After
  ``MAX_ATTEMPTS`` it fails instead, with the reason.
- A run with work left that no worker is draining (its tasks were lost with a worker or a
  broker) is drained again, once ``BULK_STALL_SECONDS`` have passed since it last was.
- A run whose items have all ended is marked finished.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from ..models import BulkItem, BulkRun
from .engine import MAX_ATTEMPTS, drains_for, enqueue_drains, finish_if_done
from .kinds import UnknownKind, get_kind

log = logging.getLogger(__name__)

Status = BulkItem.Status
WORKER_LOST = "The worker doing this stopped; it is tried again (attempt {attempt})."
WORKER_LOST_TOO_OFTEN = (
    "The worker doing this stopped {attempts} times; retry it when Maventa is well."
)


def release_expired_leases(now=None) -> int:
    now = now or timezone.now()
    released = 0
    expired = BulkItem.objects.filter(status=Status.RUNNING, lease_until__lt=now).only(
        "pk", "lease_token", "attempts"
    )
    for item in expired:
        gave_up = item.attempts >= MAX_ATTEMPTS
        released += BulkItem.objects.filter(
            pk=item.pk, status=Status.RUNNING, lease_token=item.lease_token
        ).update(
            status=Status.FAILED if gave_up else Status.PENDING,
            message=(WORKER_LOST_TOO_OFTEN if gave_up else WORKER_LOST).format(
                attempts=item.attempts, attempt=item.attempts + 1
            ),
            lease_token="",
            lease_until=None,
            updated_at=now,
        )
    if released:
        log.warning("Gave %d bulk items of lost workers back to the queue", released)
    return released


def sweep() -> dict[str, int]:
    now = timezone.now()
    counts = {"released": release_expired_leases(now), "drained": 0, "finished": 0}
    stall = now - timedelta(seconds=settings.BULK_STALL_SECONDS)
    open_runs = BulkRun.objects.filter(finished_at=None).annotate(
        open_items=Count("items", filter=Q(items__status__in=[Status.PENDING, Status.RUNNING])),
        live=Count("items", filter=Q(items__status=Status.RUNNING, items__lease_until__gte=now)),
        ready=Count(
            "items",
            filter=Q(items__status=Status.PENDING)
            & (Q(items__not_before=None) | Q(items__not_before__lte=now)),
        ),
    )
    for run in open_runs:
        if not run.open_items:
            counts["finished"] += finish_if_done(run.pk)
            continue
        if run.live or not run.ready or (run.drained_at and run.drained_at > stall):
            continue
        try:
            kind = get_kind(run.kind)
        except UnknownKind:
            log.error("Bulk run %s has the unknown kind %s; left alone", run.pk, run.kind)
            continue
        enqueue_drains(run, drains_for(run, kind, run.ready))
        counts["drained"] += 1
    return counts
