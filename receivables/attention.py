"""Receivables in the needs-attention queue: unread messages from Visma Amili."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.urls import reverse

from maventa_portal.core.attention import AttentionItem, AttentionKind

from .models import MessageThread


def _unread():
    return MessageThread.objects.filter(unread_count__gt=0)


def _unread_items(limit: int) -> list[AttentionItem]:
    threads = (
        _unread()
        .select_related("company")
        .annotate(since=Coalesce("last_message_at", "synced_at"))
        .order_by("since", "pk")[:limit]
    )
    return [
        AttentionItem(
            kind="unread_threads",
            label=f"{thread}: {thread.unread_count} unread",
            company_name=thread.company.name,
            since=thread.since,
            url=reverse("receivables:thread", args=[thread.pk]),
        )
        for thread in threads
    ]


KINDS = [
    AttentionKind(
        key="unread_threads",
        title="Unread messages from Visma Amili",
        permission="receivables.view_messagethread",
        count=lambda: _unread().count(),
        items=_unread_items,
        more_url=lambda: reverse("receivables:inbox"),
    )
]
