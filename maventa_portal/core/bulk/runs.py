"""Starting and retrying runs: the services behind every kind's forms.

A run and all its items are created in one transaction, and workers are asked for only once
it has committed. A form sent twice carries the same ``request_key``, so it starts one run.
With the task broker down nothing is created: staff are told, and try again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django_q.brokers import get_broker

from .. import crypto
from ..audit import Actor, recording
from ..errors import PortalError, Refused
from ..models import BulkItem, BulkRun
from .engine import drains_for, enqueue_drains
from .kinds import BulkKind, get_kind

log = logging.getLogger(__name__)

Status = BulkItem.Status
NO_ITEMS = "Select at least one {noun}."
NOTHING_FAILED = "No {noun} of this run has failed."
BROKER_DOWN = (
    "The task queue does not answer, so nothing was started. Try again in a moment; if it "
    "goes on, the portal's administrators must look at the task broker."
)


@dataclass(frozen=True)
class ItemSpec:
    """An item to create: its object, how staff read it, and what its kind needs."""

    object_id: int | None = None
    label: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    secret: str = ""
    position: int = 0
    # Refused before any work (a row the file alone shows wrong): the item starts failed.
    refused: str = ""


def _check_broker() -> None:
    try:
        broker = get_broker()
        if not broker.ping():
            raise ConnectionError("no answer to ping")
    except Exception as exc:
        log.warning("Task broker unreachable when starting a bulk run: %s", exc)
        raise PortalError(BROKER_DOWN) from exc


def start_run(
    *,
    kind: str,
    options: dict[str, Any],
    items: Sequence[ItemSpec],
    actor: Actor | None,
    request_key: str = "",
    parent: BulkRun | None = None,
) -> BulkRun:
    bulk_kind = get_kind(kind)
    asked = {"kind": kind, "items": len(items), "options": options}
    with recording(actor, "bulk.start", target=BulkRun, asked=asked) as rec:
        existing = _already_started(request_key)
        if existing is not None:
            rec.target, rec.note = existing, f"The same form came twice; run {existing.pk} goes on."
            return existing
        if not items:
            raise Refused(NO_ITEMS.format(noun=bulk_kind.item_noun))
        _check_broker()
        try:
            run = _create(bulk_kind, options, items, actor, request_key or None, parent)
        except IntegrityError:
            # The twin request committed first: there is one run, its.
            existing = _already_started(request_key)
            if existing is None:
                raise
            run = existing
        rec.target = run
    return run


def _already_started(request_key: str) -> BulkRun | None:
    return BulkRun.objects.filter(request_key=request_key).first() if request_key else None


def _create(kind: BulkKind, options, items, actor, request_key, parent) -> BulkRun:
    user = getattr(actor, "user", None)
    with transaction.atomic():
        run = BulkRun.objects.create(
            kind=kind.name,
            title=kind.describe(options)[:300],
            options=options,
            request_key=request_key,
            parent=parent,
            created_by=user if getattr(user, "pk", None) else None,
            created_from=getattr(actor, "remote_addr", None),
        )
        BulkItem.objects.bulk_create(
            (
                BulkItem(
                    run=run,
                    kind=run.kind,
                    position=spec.position or index,
                    object_id=spec.object_id,
                    label=spec.label[:300],
                    payload=spec.payload,
                    secret_payload=crypto.encrypt(spec.secret) if spec.secret else "",
                    status=Status.FAILED if spec.refused else Status.PENDING,
                    message=spec.refused,
                )
                for index, spec in enumerate(items, start=1)
            ),
            batch_size=500,
        )
        # robust: a broker that fails right now leaves the run to the sweeper, not a 500.
        count = drains_for(run, kind, sum(1 for spec in items if not spec.refused))
        if not count:
            run.finished_at = run.created_at
            run.save(update_fields=["finished_at"])
        transaction.on_commit(lambda: enqueue_drains(run, count), robust=True)
    return run


def retry_failed(
    *, run: BulkRun, actor: Actor | None, options: dict[str, Any] | None = None
) -> int:
    """Puts the run's failed items back in its queue, with new options if given."""
    kind = get_kind(run.kind)
    asked = {"options_before": run.options, "options": options or run.options}
    with recording(actor, "bulk.retry", target=run, asked=asked) as rec:
        _check_broker()
        with transaction.atomic():
            failed = run.items.filter(status=Status.FAILED)
            count = failed.update(
                status=Status.PENDING, message="", attempts=0, not_before=None, result={}
            )
            if not count:
                raise Refused(NOTHING_FAILED.format(noun=kind.item_noun))
            changes = {"finished_at": None}
            if options is not None and options != run.options:
                changes.update(options=options, title=kind.describe(options)[:300])
            BulkRun.objects.filter(pk=run.pk).update(**changes)
            transaction.on_commit(
                lambda: enqueue_drains(run, drains_for(run, kind, count)), robust=True
            )
        rec.note = f"{count} failed {kind.items_noun} retried."
    return count


def new_run_from_failed(
    *,
    run: BulkRun,
    actor: Actor | None,
    options: dict[str, Any] | None = None,
    request_key: str = "",
) -> BulkRun:
    """A new run over this run's failed items only, with the same or new options."""
    failed: Iterable[BulkItem] = run.items.filter(status=Status.FAILED).order_by("position")
    items = [
        ItemSpec(
            object_id=item.object_id,
            label=item.label,
            payload=item.payload,
            secret=crypto.decrypt(item.secret_payload) if item.secret_payload else "",
            position=item.position,
        )
        for item in failed
    ]
    if not items:
        raise Refused(NOTHING_FAILED.format(noun=get_kind(run.kind).item_noun))
    return start_run(
        kind=run.kind,
        options=options if options is not None else run.options,
        items=items,
        actor=actor,
        request_key=request_key,
        parent=run,
    )


def item_secret(item: BulkItem) -> str:
    return crypto.decrypt(item.secret_payload) if item.secret_payload else ""
