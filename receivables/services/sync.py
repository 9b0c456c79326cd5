"""Mirroring one company's assignments (with their events) and message threads (with their
messages) from Maventa.

Upserts by Maventa's id, so a second run changes nothing that Maventa did not change. Maventa is
read first, outside any transaction; each object is then written in one short transaction. What
only the portal knows (who replied, when it told Maventa a message was seen) is never
overwritten. A thread's unread count is the Amili messages neither Maventa nor the portal has
marked seen, counted from the mirror, so that opening a thread lowers it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from companies.access import company_api
from companies.models import Company
from maventa_portal.maventa_api import receivables as rcv
from maventa_portal.maventa_api.client import Api
from maventa_portal.maventa_api.paging import items

from ..models import Assignment, AssignmentEvent, Message, MessageThread


@dataclass(frozen=True)
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: SyncResult) -> SyncResult:
        return SyncResult(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def sync_assignments(*, company: Company, api: Api | None = None) -> SyncResult:
    """Every assignment of `company` and its events, as Maventa has them now."""
    api = api or company_api(company, scope=rcv.SCOPE)
    remote = list(items(lambda page: rcv.list_assignments(api, page=page)))
    # Most cases do not change between two polls: one whose answer (events included) is the
    # one stored costs no write.
    stored = dict(
        Assignment.objects.filter(maventa_id__in=[a.id for a in remote]).values_list(
            "maventa_id", "raw"
        )
    )
    result = SyncResult()
    for found in remote:
        if found.raw and stored.get(found.id) == found.raw:
            result += SyncResult(unchanged=1)
            continue
        with transaction.atomic():
            result += _upsert_assignment(company, found)
    return result


def sync_message_threads(*, company: Company, api: Api | None = None) -> SyncResult:
    """Every message thread of `company`; the messages of those that changed since the last run.

    The thread list carries each thread's latest message and unread count, so a thread whose
    latest message is mirrored and whose unread count agrees with ours needs no call: polling
    every few minutes then costs one request per company, not one per conversation.
    """
    api = api or company_api(company, scope=rcv.SCOPE)
    threads = list(items(lambda page: rcv.list_threads(api, page=page)))
    changed = _changed_threads(company, threads)
    fetched = [
        (t, rcv.list_thread_messages(api, thread_id=t.id) if t.id in changed else None)
        for t in threads
    ]
    result = SyncResult()
    for thread, messages in fetched:
        with transaction.atomic():
            result += _upsert_thread(company, thread, messages)
    return result


def sync_one_assignment(*, assignment: Assignment, api: Api | None = None) -> Assignment:
    """One assignment and its events as Maventa has them now (after staff added an event)."""
    api = api or company_api(assignment.company, scope=rcv.SCOPE)
    _upsert_assignment(
        assignment.company, rcv.get_assignment(api, assignment_id=assignment.maventa_id)
    )
    assignment.refresh_from_db()
    return assignment


def _upsert_assignment(company: Company, found: rcv.Assignment) -> SyncResult:
    values = {
        "company": company,
        "invoice_id": found.invoice_id,
        "reference_ids": list(found.reference_ids),
        "status": _choice(Assignment.Status, found.status),
        "debtor_name": found.debtor_name,
        "debtor_bid": found.debtor_bid,
        "amount": _decimal(found.amount),
        "open_amount": _decimal(found.open_amount),
        "currency": found.currency,
        "due_date": _date(found.due_date),
        "opened_at": _moment(found.created_at),
        "closed_at": _moment(found.closed_at),
        "raw": found.raw if isinstance(found.raw, dict) else {},
        "synced_at": timezone.now(),
    }
    assignment, created = Assignment.objects.update_or_create(maventa_id=found.id, defaults=values)
    for event in found.events:
        _upsert_event(assignment, event)
    return SyncResult(created=int(created), updated=int(not created))


def _upsert_event(assignment: Assignment, found: rcv.Event) -> None:
    values: dict[str, Any] = {
        "assignment": assignment,
        "type": _choice(AssignmentEvent.Type, found.type),
        "amount": _decimal(found.amount),
        "message": found.message,
        "due_date": _date(found.due_date),
        "happened_at": _moment(found.created_at),
        "raw": found.raw if isinstance(found.raw, dict) else {},
    }
    event, created = AssignmentEvent.objects.get_or_create(maventa_id=found.id, defaults=values)
    if not created:
        # Seen stays seen: the portal may have marked it before Maventa's copy says so.
        values["seen"] = event.seen or bool(found.seen)
        AssignmentEvent.objects.filter(pk=event.pk).update(**values)
    elif found.seen:
        AssignmentEvent.objects.filter(pk=event.pk).update(seen=True)


def _changed_threads(company: Company, threads: list[rcv.Thread]) -> set[str]:
    """Ids of the threads whose messages must be fetched: new ones, those whose latest message
    is not mirrored, and those whose unread count differs from ours (seen elsewhere)."""
    unread = dict(
        MessageThread.objects.filter(
            company=company, maventa_id__in=[t.id for t in threads]
        ).values_list("maventa_id", "unread_count")
    )
    latest_ids = [t.last_message.id for t in threads if t.last_message.id]
    mirrored = set(
        Message.objects.filter(maventa_id__in=latest_ids).values_list("maventa_id", flat=True)
    )
    return {
        t.id
        for t in threads
        if t.id not in unread or t.last_message.id not in mirrored or t.unread_count != unread[t.id]
    }


def _upsert_thread(
    company: Company, found: rcv.Thread, messages: list[rcv.Message] | None
) -> SyncResult:
    assignment = (
        Assignment.objects.filter(maventa_id=found.assignment_id).first()
        if found.assignment_id
        else None
    )
    values = {
        "company": company,
        "assignment": assignment,
        "subject": found.subject,
        "flagged": found.flagged,
        "raw": found.raw if isinstance(found.raw, dict) else {},
        "synced_at": timezone.now(),
    }
    if messages is not None:
        latest = max((m.created_at for m in messages), default="") or found.last_message_at
        values["last_message_at"] = _moment(latest)
    thread, created = MessageThread.objects.update_or_create(maventa_id=found.id, defaults=values)
    if messages is None:
        return SyncResult(created=int(created), updated=int(not created))
    for message in messages:
        _upsert_message(thread, message)
    thread.unread_count = thread.messages.filter(
        author_kind=Message.AuthorKind.AMILI, seen_at__isnull=True, seen_marked_at__isnull=True
    ).count()
    thread.save(update_fields=["unread_count"])
    return SyncResult(created=int(created), updated=int(not created))


def _upsert_message(thread: MessageThread, found: rcv.Message) -> None:
    values = {
        "thread": thread,
        "author_kind": _choice(Message.AuthorKind, found.author_type),
        "author_name": found.author_name,
        "body": found.body,
        "sent_at": _moment(found.created_at),
        "raw": found.raw if isinstance(found.raw, dict) else {},
    }
    seen_at = _moment(found.seen_at)
    if seen_at is not None:
        values["seen_at"] = seen_at
    # replied_by and seen_marked_at are the portal's own: update_or_create leaves them alone.
    Message.objects.update_or_create(maventa_id=found.id, defaults=values)


def _choice(choices: Any, value: str) -> str:
    value = (value or "").lower()
    known = {str(v).lower(): v for v in choices.values}
    return known.get(value, choices.UNKNOWN)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    return parse_date(str(value)[:10]) if value else None


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(str(value))
    if moment is None:
        day = _date(value)
        moment = datetime(day.year, day.month, day.day) if day else None
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment
