"""Receivables columns of the fleet view (gathered by ``companies.fleet``): whether the
service is on, and the unread messages from Visma Amili.

Each is a subquery per company so that the companies page stays one query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Expression, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from companies.fleet import FleetColumn, FleetFilter

from .models import MessageThread, ReceivablesActivation

ACTIVE = ReceivablesActivation.Status.ACTIVE


def _unread() -> Expression:
    unread = (
        MessageThread.objects.filter(company=OuterRef("pk"), unread_count__gt=0)
        .order_by()
        .values("company")
        .annotate(n=Sum("unread_count"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def annotations(now: dt.datetime) -> dict[str, Expression]:
    status = ReceivablesActivation.objects.filter(company=OuterRef("pk")).values("status")[:1]
    return {"receivables": Subquery(status), "unread": _unread()}


COLUMNS = [
    FleetColumn(
        "receivables",
        "Receivables",
        sortable=False,
        href=lambda pk: reverse("receivables:activation", args=[pk]),
        permission="receivables.view_receivablesactivation",
        labels=dict(ReceivablesActivation.Status.choices),
        empty="Off",
    ),
    FleetColumn(
        "unread",
        "Unread",
        kind="count",
        href=lambda pk: f"{reverse('receivables:inbox')}?company={pk}",
        permission="receivables.view_messagethread",
        attention="unread messages",
    ),
]


def filters() -> list[FleetFilter]:
    return [
        FleetFilter(
            "receivables",
            "Receivables",
            {
                "active": ("Active", Q(receivables=ACTIVE)),
                "inactive": ("Not active", Q(receivables__isnull=True) | ~Q(receivables=ACTIVE)),
            },
        ),
        FleetFilter(
            "unread",
            "Unread messages",
            {"yes": ("Some", Q(unread__gt=0)), "no": ("None", Q(unread=0))},
        ),
    ]
