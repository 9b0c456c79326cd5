"""Receivables on the dashboard: unread Amili messages, open and overdue collection cases.

These are counts of now, not of the period: an unread message or an overdue case waits
whenever it came."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from maventa_portal.core.dashboard import Figure

from .models import Assignment, MessageThread

OPEN = [Assignment.Status.OPEN, Assignment.Status.PARTIALLY_CLOSED]


def figures(*, since, until, user) -> list[Figure]:
    shown: list[Figure] = []
    if user.has_perm("receivables.view_messagethread"):
        unread = MessageThread.objects.aggregate(total=Sum("unread_count"))["total"] or 0
        shown.append(
            Figure("unread_messages", "Unread Amili messages", reverse("receivables:inbox"), unread)
        )
    if user.has_perm("receivables.view_assignment"):
        open_cases = Q(status__in=OPEN)
        counts = Assignment.objects.aggregate(
            open=Count("pk", filter=open_cases),
            overdue=Count("pk", filter=open_cases & Q(due_date__lt=timezone.localdate())),
        )
        url = f"{reverse('receivables:assignments')}?status={Assignment.Status.OPEN}"
        shown += [
            Figure("open_assignments", "Open collection cases", url, counts["open"]),
            Figure("overdue_assignments", "Overdue collection cases", url, counts["overdue"]),
        ]
    return shown
