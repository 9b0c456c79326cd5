"""Storing a delivery as it arrived: one row per distinct event, however often it comes.

The row is inserted in its own short transaction; a repeat (the same dedupe key) hits the
unique constraint and only counts on the row already there, so two deliveries racing each other
leave one row whichever commits first. Processing is enqueued after the commit, so that a task
never looks for a row that is not visible yet; if the broker refuses, the event stays RECEIVED
and the sweep schedule takes it (processing.sweep).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from companies.models import Company

from ..models import WebhookEvent
from . import names

log = logging.getLogger(__name__)

State = WebhookEvent.State
Family = WebhookEvent.Family
PROCESS_TASK = "exchange.tasks.process_webhook_event"
DRAIN_TASK = "exchange.tasks.drain_webhook_events"
# Deliveries come in bursts. A task for each would add the broker's own write to every delivery
# (the ORM broker's queue is a table) and a task start; one drain instead takes every RECEIVED
# event in arrival order. This process asks for one at most every DRAIN_EVERY seconds, and a
# drain looks once more a grace after it found nothing (processing.drain), so an event stored
# while a drain was already asked for is taken by that drain, not left to the sweep.
DRAIN_EVERY = 0.5
REDACTED = "[redacted]"
# Header names that may carry the secret or a session; never stored as sent.
SENSITIVE_HEADERS = ("authorization", "cookie", "secret", "token", "api-key", "apikey")


@dataclass(frozen=True)
class Stored:
    state: str
    new: bool


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name: REDACTED if any(part in name.lower() for part in SENSITIVE_HEADERS) else value
        for name, value in headers.items()
    }


def store_event(*, body: bytes, headers: Mapping[str, str], remote_addr: str | None) -> Stored:
    """Keeps the delivery: ``INVALID`` when the body is not a JSON object with ``event``,
    ``UNKNOWN_TYPE`` for a name outside Maventa's families, else ``RECEIVED`` (enqueued)."""
    fields = _fields(body)
    fields.update(
        body=body.decode("utf-8", errors="replace"),
        headers=redact_headers(headers),
        remote_addr=remote_addr or None,
    )
    return _insert_or_count(fields)


def _fields(body: bytes) -> dict:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        return {"dedupe_key": names.invalid_key(body), "state": State.INVALID}
    name = payload["event"][:120]
    family = names.family_of(name)
    company_id = str(payload.get("company_id") or "")[:64]
    return {
        "dedupe_key": names.dedupe_key(payload),
        "name": name,
        "family": family,
        "state": State.RECEIVED if family != Family.UNKNOWN else State.UNKNOWN_TYPE,
        "payload": payload,
        "maventa_company_id": company_id,
        "company_id": _company_pk(company_id),
        "event_timestamp": names.event_time(payload.get("event_timestamp")),
        "object_id": names.object_id_of(payload),
    }


def _company_pk(maventa_id: str) -> int | None:
    try:
        key = uuid.UUID(maventa_id)
    except ValueError:
        return None
    found = Company.objects.filter(maventa_id=key).order_by().values_list("pk", flat=True)[:1]
    return next(iter(found), None)


def _insert_or_count(fields: dict) -> Stored:
    now = timezone.now()
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(**fields, received_at=now, last_seen_at=now)
            if event.state == State.RECEIVED:
                transaction.on_commit(request_drain, robust=True)
    except IntegrityError:
        # Seen before (or being inserted by a delivery racing this one, which holds the key).
        counted = WebhookEvent.objects.filter(dedupe_key=fields["dedupe_key"]).update(
            times_seen=F("times_seen") + 1, last_seen_at=now
        )
        if not counted:
            raise  # not the dedupe key: a real failure, answered 5xx so that Maventa retries
        return Stored(state=fields["state"], new=False)
    return Stored(state=event.state, new=True)


class _Asked:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._at = float("-inf")

    def due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now - self._at < DRAIN_EVERY:
                return False
            self._at = now
            return True


_asked = _Asked()


def request_drain() -> None:
    from django_q.conf import Conf
    from django_q.tasks import async_task

    # Inline tasks (Q_SYNC) drain at once: there is no drain in flight to rely on.
    if Conf.SYNC or _asked.due():
        async_task(DRAIN_TASK)


def enqueue(event_id: int) -> None:
    from django_q.tasks import async_task

    async_task(PROCESS_TASK, event_id)
