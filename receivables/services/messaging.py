"""Staff's side of the conversations with Visma Amili: replying, writing about an assignment,
flagging, and telling Maventa that a message was seen.

Every call is made as the thread's company. Marking seen happens at most once per message: the
portal claims the message (``seen_marked_at``) with a conditional update before calling, so two
tabs opening the same thread cannot both call; a failed call gives the claim back so the next
opening tries again.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from companies.access import company_api
from maventa_portal.core.audit import Actor, recording
from maventa_portal.maventa_api import AmbiguousOutcome, Api
from maventa_portal.maventa_api import receivables as rcv

from ..models import Assignment, Message, MessageThread

AMILI = Message.AuthorKind.AMILI
# What the audit keeps of a message's text: enough to recognise it.
ASKED_TEXT = 500


def _api(company: Any) -> Api:
    return company_api(company, scope=rcv.SCOPE)


def _moment(value: str) -> Any:
    moment = parse_datetime(value) if value else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment or timezone.now()


def _author_name(actor: Actor | None, sent: rcv.Message) -> str:
    if sent.author_name:
        return sent.author_name
    user = getattr(actor, "user", None)
    return (user.get_full_name() or user.get_username()) if user is not None else ""


@transaction.atomic
def _store(thread: MessageThread, sent: rcv.Message, actor: Actor | None) -> Message:
    user = getattr(actor, "user", None)
    message, _ = Message.objects.update_or_create(
        maventa_id=sent.id,
        defaults={
            "thread": thread,
            "author_kind": Message.AuthorKind.COMPANY,
            "author_name": _author_name(actor, sent),
            "body": sent.body,
            "sent_at": _moment(sent.created_at),
            "replied_by": user if getattr(user, "pk", None) else None,
            "raw": sent.raw if isinstance(sent.raw, dict) else {},
        },
    )
    MessageThread.objects.filter(pk=thread.pk).update(last_message_at=message.sent_at)
    thread.last_message_at = message.sent_at
    return message


def _already_sent(api: Api, thread_id: str, body: str) -> rcv.Message | None:
    """After a POST that may have arrived: the company's newest message with this text."""
    for found in reversed(rcv.list_thread_messages(api, thread_id=thread_id)):
        if found.author_type != AMILI and found.body.strip() == body:
            return found
    return None


def reply(*, thread: MessageThread, body: str, actor: Actor | None) -> Message:
    """Posts ``body`` to the thread at Maventa and keeps it with who replied."""
    body = body.strip()
    asked = {"thread": thread.maventa_id, "body": body[:ASKED_TEXT]}
    with recording(
        actor, "receivables.reply", target=thread, company=thread.company_id, asked=asked
    ) as rec:
        api = _api(thread.company)
        try:
            sent = rcv.reply_to_thread(api, thread_id=thread.maventa_id, body=body)
        except AmbiguousOutcome:
            # Sending again could post it twice; keep the one Maventa has, if it has one.
            sent = _already_sent(api, thread.maventa_id, body)
            if sent is None:
                raise
        message = _store(thread, sent, actor)
        rec.target, rec.note = message, f"Maventa id {message.maventa_id}"
    return message


def write_about_assignment(
    *, assignment: Assignment, body: str, actor: Actor | None, subject: str = ""
) -> Message:
    """Writes to Amili about an assignment; Maventa opens its thread when there is none."""
    body = body.strip()
    asked = {"assignment": assignment.maventa_id, "subject": subject, "body": body[:ASKED_TEXT]}
    with recording(
        actor,
        "receivables.write_about_assignment",
        target=assignment,
        company=assignment.company_id,
        asked=asked,
    ) as rec:
        api = _api(assignment.company)
        sent = rcv.write_about_assignment(
            api, assignment_id=assignment.maventa_id, body=body, subject=subject
        )
        thread, _ = MessageThread.objects.get_or_create(
            maventa_id=sent.thread_id,
            defaults={
                "company": assignment.company,
                "assignment": assignment,
                "subject": subject or f"Assignment {assignment.maventa_id}",
            },
        )
        message = _store(thread, sent, actor)
        rec.target, rec.note = message, f"thread {thread.maventa_id}"
    return message


def set_flag(*, thread: MessageThread, flagged: bool, actor: Actor | None) -> MessageThread:
    """Flags or unflags the thread at Maventa, then here as Maventa answered."""
    event = "receivables.flag" if flagged else "receivables.unflag"
    with recording(
        actor,
        event,
        target=thread,
        company=thread.company_id,
        asked={"thread": thread.maventa_id, "flagged": flagged},
    ):
        answer = rcv.flag_thread(_api(thread.company), thread_id=thread.maventa_id, flagged=flagged)
        thread.flagged = answer.flagged if answer.id else flagged
        thread.save(update_fields=["flagged"])
    return thread


def recount(thread: MessageThread) -> int:
    """The thread's unread Amili messages, as the mirror knows them."""
    unread = thread.messages.filter(
        author_kind=AMILI, seen_at__isnull=True, seen_marked_at__isnull=True
    ).count()
    MessageThread.objects.filter(pk=thread.pk).update(unread_count=unread)
    thread.unread_count = unread
    return unread


def mark_seen(message: Message, *, api: Api | None = None) -> bool:
    """Tells Maventa the Amili message was seen, unless the portal already did (or is doing so
    in another request). True when this call told Maventa."""
    if message.author_kind != AMILI:
        return False
    claimed_at = timezone.now()
    claimed = Message.objects.filter(
        pk=message.pk, seen_marked_at__isnull=True, seen_at__isnull=True
    ).update(seen_marked_at=claimed_at)
    if not claimed:
        return False
    try:
        rcv.mark_message_seen(api or _api(message.thread.company), message_id=message.maventa_id)
    except Exception:
        # Given back so that the next opening tries again.
        Message.objects.filter(pk=message.pk, seen_marked_at=claimed_at).update(seen_marked_at=None)
        raise
    message.seen_marked_at = claimed_at
    return True


def mark_thread_seen(thread: MessageThread) -> int:
    """Marks every unread Amili message of the thread seen (each once); how many were."""
    unread = list(
        thread.messages.filter(author_kind=AMILI, seen_at__isnull=True, seen_marked_at__isnull=True)
    )
    marked = 0
    if unread:
        api = _api(thread.company)
        try:
            for message in unread:
                marked += mark_seen(message, api=api)
        finally:
            recount(thread)
    return marked
