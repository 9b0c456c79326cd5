"""Each event applied exactly once, however often it arrives and however many workers run.

One row per distinct event (ingest's unique dedupe key); a worker takes it under a row lock
(``SELECT ... FOR UPDATE``; on SQLite every write transaction takes the database's write lock
at BEGIN, which serialises takers the same way), and only from a state that still needs work.
So a second worker, or a second task for the same event, finds it done and does nothing.

The event's own task waits for the lock rather than skipping a locked row: a repeat delivery
counting itself on the row holds it for a moment too, and skipping then would leave the event
to the sweep. The lock is only ever held for a short local transaction. The sweep, which works
through many events, skips locked ones (``SKIP LOCKED`` where the database has it): whoever
holds one is on it, and the next sweep looks again.

- Events that need nothing from Maventa are applied and marked PROCESSED in the same
  transaction as the take: both commit, or neither does.
- ``DOCUMENTS.<TYPE>.RECEIVED`` fetches from Maventa, and a ``SERVICES.*`` event goes to the
  handler another app registered, which reads from Maventa; no transaction may wait on that (the
  services' rule): the take marks the event PROCESSING with a lease, the fetch runs outside,
  and the outcome is written after. A worker that dies mid-fetch leaves the lease to expire,
  and the sweep takes the event again; the fetch is an upsert by Maventa id, so a second one
  changes nothing.

A failure is recorded on the row (FAILED, the reason, the attempt counted) and tried again by
the sweep, at most ``MAVENTA_WEBHOOK_MAX_ATTEMPTS`` times; staff may reprocess it after that.
"""

from __future__ import annotations

import logging
import time
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from companies.models import Company
from companies.services import UnknownCompany
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import STAFF_ERRORS, staff_message_of

from ..models import WebhookEvent
from . import apply
from .ingest import enqueue

log = logging.getLogger(__name__)

State = WebhookEvent.State
TAKEN_FROM = (State.RECEIVED, State.FAILED)
# Long enough for one invoice and its files (the client's timeouts and retries included).
LEASE = timedelta(minutes=5)
# A RECEIVED event this old has lost its task (a worker killed, the broker down at enqueue).
LOST_AFTER = timedelta(minutes=2)
# A FAILED event waits this long per attempt made before the sweep tries it again.
BACKOFF = timedelta(minutes=5)
SWEEP_BATCH = 200
# How long a drain looks again after finding nothing: past ingest.DRAIN_EVERY, with room for a
# delivery's commit. How long one drain task works before a fresh one goes on.
DRAIN_GRACE = 1.0
DRAIN_SECONDS = 50
UNMATCHED = "No company with Maventa id {id} in the portal."
REPROCESSABLE = (State.FAILED, State.UNMATCHED, State.PROCESSED, State.RECEIVED)


def _take(event_id: int, *, skip_locked: bool) -> WebhookEvent | None:
    """The event, locked for this transaction, if it still needs work; else None."""
    now = timezone.now()
    rows = WebhookEvent.objects.filter(pk=event_id).filter(
        Q(state__in=TAKEN_FROM) | Q(state=State.PROCESSING, lease_until__lt=now)
    )
    skip_locked = skip_locked and connection.features.has_select_for_update_skip_locked
    rows = rows.select_for_update(skip_locked=skip_locked, of=("self",))
    event = rows.select_related("company").first()
    if event is not None and event.company_id is None:
        # A company linked since the event arrived is found now.
        event.company = Company.objects.filter(maventa_id=event.maventa_company_id).first()
    return event


def _finish(event: WebhookEvent, result: apply.Result) -> None:
    event.state, event.outcome = result.state, result.outcome
    event.processed_at, event.lease_until = timezone.now(), None
    event.save(
        update_fields=[
            "state",
            "outcome",
            "processed_at",
            "lease_until",
            "attempts",
            "company",
            "updated_at",
        ]
    )


def process_event(*, event_id: int, skip_locked: bool = False) -> str:
    """Applies the event unless it is done (or, ``skip_locked``, another worker holds it); the
    state it ends in, or ``"skipped"``."""
    try:
        with transaction.atomic():
            event = _take(event_id, skip_locked=skip_locked)
            if event is None:
                return "skipped"
            result = _apply_or_lease(event)
        if result is None:
            # Leased: the fetch from Maventa runs outside any transaction.
            result = apply.outside_transaction(event)
            _finish_fetch(event, result)
        return result.state
    except UnknownCompany as exc:
        return _failed(event_id, exc, state=State.UNMATCHED)
    except Exception as exc:
        return _failed(event_id, exc)


def _apply_or_lease(event: WebhookEvent) -> apply.Result | None:
    """Inside the take's transaction: the event applied and finished, or (None) leased."""
    event.attempts += 1
    if apply.needs_maventa(event) and event.company is not None:
        event.state, event.lease_until = State.PROCESSING, timezone.now() + LEASE
        event.save(update_fields=["state", "lease_until", "attempts", "company", "updated_at"])
        return None
    if event.company is None:
        # A service's outcome for a company the portal does not hold has nothing to wait for.
        state = State.PROCESSED if event.family == WebhookEvent.Family.SERVICES else State.UNMATCHED
        result = apply.Result(state, UNMATCHED.format(id=event.maventa_company_id))
    else:
        result = apply.apply_local(event)
    _finish(event, result)
    return result


def _finish_fetch(event: WebhookEvent, result: apply.Result) -> None:
    # Only while still ours: an expired lease may have passed the event to the sweep.
    WebhookEvent.objects.filter(pk=event.pk, state=State.PROCESSING).update(
        state=result.state,
        outcome=result.outcome,
        processed_at=timezone.now(),
        lease_until=None,
        updated_at=timezone.now(),
    )


def _failed(event_id: int, exc: Exception, *, state: str = State.FAILED) -> str:
    if isinstance(exc, (*STAFF_ERRORS, UnknownCompany)):
        log.warning("Webhook event %s not applied: %s", event_id, exc)
        reason = staff_message_of(exc) if isinstance(exc, STAFF_ERRORS) else str(exc)
    else:
        log.exception("Webhook event %s failed unexpectedly", event_id)
        reason = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"
    with transaction.atomic():
        event = (
            WebhookEvent.objects.select_for_update()
            .filter(pk=event_id, state__in=(*TAKEN_FROM, State.PROCESSING))
            .first()
        )
        if event is None:
            return state  # finished meanwhile by another worker
        if event.state != State.PROCESSING:
            event.attempts += 1  # the take's transaction rolled back with its count
        event.state, event.outcome = state, reason[:5000]
        # Not before then does the sweep try it again: longer after each attempt.
        event.lease_until = timezone.now() + BACKOFF * event.attempts
        event.save(update_fields=["state", "outcome", "attempts", "lease_until", "updated_at"])
    return state


def due_events():
    """Events the sweep takes: lost RECEIVED ones, expired leases, FAILED ones due again."""
    now = timezone.now()
    failed_due = Q(state=State.FAILED, attempts__lt=settings.MAVENTA_WEBHOOK_MAX_ATTEMPTS) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    return WebhookEvent.objects.filter(
        Q(state=State.RECEIVED, received_at__lt=now - LOST_AFTER)
        | Q(state=State.PROCESSING, lease_until__lt=now)
        | failed_due
    ).order_by("received_at", "pk")


def drain() -> dict[str, int]:
    """The task ingestion asks for: every RECEIVED event, oldest first, until none is left, and
    once more DRAIN_GRACE later (an event stored after this drain was asked for, by a process
    that then asked for no other, arrives within that). After DRAIN_SECONDS a fresh task goes
    on, so none outlives the cluster's timeout."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    grace = 0.0 if Conf.SYNC else DRAIN_GRACE
    counts: dict[str, int] = {}
    deadline = time.monotonic() + DRAIN_SECONDS
    looked_again = False
    while time.monotonic() < deadline:
        waiting = WebhookEvent.objects.filter(state=State.RECEIVED).order_by("received_at", "pk")
        pks = list(waiting.values_list("pk", flat=True)[:SWEEP_BATCH])
        if not pks:
            if looked_again or not grace:
                return counts
            time.sleep(grace)
            looked_again = True
            continue
        looked_again = False
        taken = 0
        for pk in pks:
            state = process_event(event_id=pk, skip_locked=True)
            counts[state] = counts.get(state, 0) + 1
            taken += state != "skipped"
        if not taken:
            time.sleep(0.05)  # each held a moment by a repeat delivery counting itself
    async_task("exchange.tasks.drain_webhook_events")
    return counts


def sweep(*, limit: int = SWEEP_BATCH) -> dict[str, int]:
    """The schedule's work: the due events processed here, one by one."""
    counts: dict[str, int] = {}
    for pk in due_events().values_list("pk", flat=True)[:limit]:
        state = process_event(event_id=pk, skip_locked=True)
        counts[state] = counts.get(state, 0) + 1
    return counts


def reprocess_events(*, events, actor: Actor | None = None) -> int:
    """Staff's "Reprocess": the chosen events back to RECEIVED and processed again."""
    ids = [event.pk for event in events]
    with recording(actor, "webhook.reprocess", target=WebhookEvent, asked={"events": ids}) as rec:
        with transaction.atomic():
            chosen = list(
                WebhookEvent.objects.filter(pk__in=ids, state__in=REPROCESSABLE).values_list(
                    "pk", flat=True
                )
            )
            WebhookEvent.objects.filter(pk__in=chosen).update(
                state=State.RECEIVED, lease_until=None, updated_at=timezone.now()
            )
            for pk in chosen:
                transaction.on_commit(lambda pk=pk: enqueue(pk), robust=True)
        rec.note = f"{len(chosen)} of {len(ids)} events queued for processing again."
    return len(chosen)
