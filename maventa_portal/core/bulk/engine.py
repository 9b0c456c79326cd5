"""Doing the items of a run: claim one under a lease, hand it to its kind, end it once.

Workers are django-q2 tasks on the ``bulk`` cluster, each draining one run: it claims the
next pending item (a conditional update, so two workers never take the same item; a worker
that finds the kind's concurrency bound held leaves the run to those holding it), does it,
ends it, and claims again until the run has nothing left, then goes on with the next run of
the same kind waiting for workers, until its time budget is spent (then it hands over to a
fresh task, as a task must end within Q_TIMEOUT). The database is the queue: a task lost
with its worker or its broker loses nothing, because the sweeper (``sweeper.py``) gives
expired leases back and drains runs nobody drains.

An item ends only through ``_end``, which names the lease it was claimed under: a worker
whose lease was taken over (it was presumed dead) cannot end the item a second time.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Min, Q
from django.utils import timezone
from django_q.tasks import async_task

from maventa_portal.maventa_api import RateLimited

from ..audit import Actor
from ..errors import STAFF_ERRORS, staff_message_of
from ..models import BulkItem, BulkRun
from .heartbeat import kept_alive
from .kinds import BulkKind, bound, get_kind

log = logging.getLogger(__name__)

Status = BulkItem.Status
DRAIN_TASK = "maventa_portal.core.bulk.tasks.drain"
MAX_ATTEMPTS = 5
CLAIM_TRIES = 5
SLOWED_DOWN = "Maventa asked us to slow down; trying again at {at:%H:%M:%S}."
GAVE_UP = "Maventa kept asking us to slow down ({attempts} attempts); retry later."
UNEXPECTED = "An unexpected error stopped this item; the details are in the log. Retry it."


def lease_seconds() -> int:
    return settings.BULK_LEASE_SECONDS


def enqueue_drains(run: BulkRun, count: int) -> None:
    """Asks ``count`` workers of the bulk cluster to drain ``run``."""
    BulkRun.objects.filter(pk=run.pk).update(drained_at=timezone.now())
    for _ in range(max(count, 0)):
        # The items are the record of the outcome: django-q2 need not keep each task.
        async_task(DRAIN_TASK, run.pk, cluster="bulk", group=f"bulk-run-{run.pk}", save=False)


def drains_for(run: BulkRun, kind: BulkKind, open_items: int) -> int:
    # Twice the bound: a cluster fetches tasks ahead of its free workers, so with several
    # clusters some tasks wait behind busy workers. A drain that finds the bound held exits.
    return min(2 * bound(kind), open_items)


class _Busy:
    """The kind has as many items running as it may (or the race for items was lost)."""


BUSY = _Busy()


def claim(run_id: int, kind: BulkKind) -> BulkItem | _Busy | None:
    """The next ready item of the run, now leased to the caller; BUSY or None if none is."""
    now = timezone.now()
    running = BulkItem.objects.filter(
        kind=kind.name, status=Status.RUNNING, lease_until__gt=now
    ).count()
    if running >= bound(kind):
        return BUSY
    ready = (
        BulkItem.objects.filter(run_id=run_id, status=Status.PENDING)
        .filter(Q(not_before=None) | Q(not_before__lte=now))
        .order_by("position", "pk")
    )
    # Two workers may pick the same candidate: the conditional update lets one have it, and
    # the other tries the next. (The bound may be passed by one for a moment; it is a limit
    # of pace, not of correctness.)
    for _ in range(CLAIM_TRIES):
        item = ready.first()
        if item is None:
            return None
        token = secrets.token_hex(16)
        lease_until = now + timedelta(seconds=lease_seconds())
        taken = BulkItem.objects.filter(pk=item.pk, status=Status.PENDING).update(
            status=Status.RUNNING,
            lease_token=token,
            lease_until=lease_until,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        if taken:
            item.status, item.lease_token, item.lease_until = Status.RUNNING, token, lease_until
            item.attempts += 1
            return item
    return BUSY


def _end(item: BulkItem, *, status: str, message: str, result: dict | None = None, **extra) -> bool:
    ended = BulkItem.objects.filter(
        pk=item.pk, status=Status.RUNNING, lease_token=item.lease_token
    ).update(
        status=status,
        message=message,
        result=result if result is not None else item.result,
        lease_token="",
        lease_until=None,
        updated_at=timezone.now(),
        **extra,
    )
    if not ended:
        log.warning("Bulk item %s was taken over while it ran; its outcome is dropped", item.pk)
    return bool(ended)


def process(item: BulkItem, kind: BulkKind, actor: Actor, run: BulkRun | None = None) -> str:
    """Does one claimed item and ends it (or puts it back to wait for Retry-After)."""
    try:
        with kept_alive(item):
            outcome = kind.handle(item, run or item.run, actor)
    except RateLimited as exc:
        if item.attempts >= MAX_ATTEMPTS:
            _end(item, status=Status.FAILED, message=GAVE_UP.format(attempts=item.attempts))
            return Status.FAILED
        at = timezone.now() + timedelta(seconds=exc.retry_after or 30)
        message = SLOWED_DOWN.format(at=timezone.localtime(at))
        _end(item, status=Status.PENDING, message=message, not_before=at)
        return Status.PENDING
    except STAFF_ERRORS as exc:
        log.info("Bulk item %s (%s) failed: %s", item.pk, kind.name, exc)
        _end(item, status=Status.FAILED, message=staff_message_of(exc))
        return Status.FAILED
    except Exception:
        log.exception("Bulk item %s (%s) failed unexpectedly", item.pk, kind.name)
        _end(item, status=Status.FAILED, message=UNEXPECTED)
        return Status.FAILED
    _end(item, status=Status.DONE, message=outcome.message, result=outcome.result)
    return Status.DONE


def finish_if_done(run_id: int) -> bool:
    if BulkItem.objects.filter(run_id=run_id, status__in=[Status.PENDING, Status.RUNNING]).exists():
        return False
    BulkRun.objects.filter(pk=run_id, finished_at=None).update(finished_at=timezone.now())
    return True


def next_wait(run_id: int) -> float | None:
    """Seconds until the earliest waiting item may run; None when nothing waits."""
    earliest = BulkItem.objects.filter(run_id=run_id, status=Status.PENDING).aggregate(
        at=Min("not_before")
    )["at"]
    if earliest is None:
        pending = BulkItem.objects.filter(run_id=run_id, status=Status.PENDING).exists()
        return 0.0 if pending else None
    return max(0.0, (earliest - timezone.now()).total_seconds())


def drain(run_id: int, *, budget: float | None = None, sleep=time.sleep) -> dict[str, int]:
    """The worker's loop: this run first, then other runs of its kind that wait for workers."""
    deadline = time.monotonic() + (budget if budget is not None else settings.BULK_DRAIN_SECONDS)
    done = {"items": 0}
    run = BulkRun.objects.select_related("created_by").filter(pk=run_id, finished_at=None).first()
    while run is not None:
        ended = _drain_run(run, deadline, sleep, done)
        finish_if_done(run.pk)
        if ended != EXHAUSTED:
            break
        run = _next_run(run)
    return done


EXHAUSTED, BUSY_ELSEWHERE, LATER = "exhausted", "busy", "later"


def _drain_run(run: BulkRun, deadline: float, sleep, done: dict[str, int]) -> str:
    kind = get_kind(run.kind)
    actor = Actor(user=run.created_by, remote_addr=run.created_from, via=f"bulk run {run.pk}")
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            # Spent: a fresh task goes on, so that no task outlives Q_TIMEOUT.
            enqueue_drains(run, 1)
            return LATER
        item = claim(run.pk, kind)
        if item is BUSY:
            # Other workers hold the kind's bound; they go on, this one frees its slot.
            return BUSY_ELSEWHERE
        if item is None:
            wait = next_wait(run.pk)
            if wait is None:
                return EXHAUSTED
            if wait > left:
                _drain_later(run, wait)
                return LATER
            sleep(wait)
            continue
        process(item, kind, actor, run)
        done["items"] += 1


def _next_run(after: BulkRun) -> BulkRun | None:
    """The oldest other open run of the same kind with an item ready to claim."""
    now = timezone.now()
    ready = Q(items__status=Status.PENDING) & (
        Q(items__not_before=None) | Q(items__not_before__lte=now)
    )
    return (
        BulkRun.objects.filter(kind=after.kind, finished_at=None)
        .exclude(pk=after.pk)
        .filter(ready)
        .select_related("created_by")
        .order_by("created_at", "pk")
        .first()
    )


def _drain_later(run: BulkRun, wait: float) -> None:
    """A one-off schedule at the time Maventa named; the sweeper is the fallback."""
    from django_q.models import Schedule

    Schedule.objects.create(
        name=f"bulk-run-{run.pk}-{secrets.token_hex(6)}",
        func=DRAIN_TASK,
        args=f"({run.pk},)",
        schedule_type=Schedule.ONCE,
        next_run=timezone.now() + timedelta(seconds=wait),
        repeats=1,
        cluster="bulk",
    )
