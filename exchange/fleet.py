"""Invoice columns of the fleet view (gathered by ``companies.fleet``): the last invoice each
company sent and received, and its failed sends of the last seven days.

Each is a subquery per company on ``Invoice`` so that the companies page stays one query.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Expression, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from companies.fleet import FleetColumn, FleetFilter

from .models import Direction, Invoice

FAILURE_WINDOW = dt.timedelta(days=7)
VIEW = "exchange.view_invoice"


def _latest(direction: str, field: str) -> Subquery:
    # ORDER BY ... LIMIT 1 rather than MAX: an index on (company, direction, field) answers
    # it by reading one entry.
    invoices = Invoice.objects.filter(
        company=OuterRef("pk"), direction=direction, **{f"{field}__isnull": False}
    )
    return Subquery(invoices.order_by(f"-{field}").values(field)[:1])


def _failures(since: dt.datetime) -> Expression:
    failed = (
        Invoice.objects.filter(
            company=OuterRef("pk"), direction=Direction.SENT, status=Invoice.Status.FAILED
        )
        # A failure counts from when Maventa said so; one never told again from its send.
        .filter(
            Q(status_changed_at__gte=since) | Q(status_changed_at__isnull=True, sent_at__gte=since)
        )
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(failed, output_field=IntegerField()), Value(0))


def annotations(now: dt.datetime) -> dict[str, Expression]:
    return {
        "last_sent": _latest(Direction.SENT, "sent_at"),
        "last_received": _latest(Direction.RECEIVED, "received_at"),
        "failures": _failures(now - FAILURE_WINDOW),
    }


def _invoices(**query: str):
    def href(company_pk: int) -> str:
        return f"{reverse('exchange:list')}?{urlencode({'company': company_pk, **query})}"

    return href


COLUMNS = [
    FleetColumn(
        "last_sent",
        "Last sent",
        kind="datetime",
        href=_invoices(direction=Direction.SENT),
        permission=VIEW,
    ),
    FleetColumn(
        "last_received",
        "Last received",
        kind="datetime",
        href=_invoices(direction=Direction.RECEIVED),
        permission=VIEW,
    ),
    FleetColumn(
        "failures",
        "Failed (7 days)",
        kind="count",
        href=_invoices(status=Invoice.Status.FAILED),
        permission=VIEW,
        attention="failed sends",
    ),
]


def filters() -> list[FleetFilter]:
    return [
        FleetFilter(
            "failures",
            "Failed sends (7 days)",
            {"yes": ("Some", Q(failures__gt=0)), "no": ("None", Q(failures=0))},
        )
    ]
