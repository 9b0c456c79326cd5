"""The number of unread messages from Visma Amili, for the pages that show it.

A callable, so that a page that does not show the number costs no query.
"""

from collections.abc import Callable

from django.db.models import Sum
from django.http import HttpRequest

from .models import MessageThread


def unread_messages(request: HttpRequest) -> dict[str, Callable[[], int]]:
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.has_perm("receivables.view_messagethread"):
            return 0
        return MessageThread.objects.aggregate(total=Sum("unread_count"))["total"] or 0

    return {"UNREAD_MESSAGES": count}
