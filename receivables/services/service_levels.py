"""Customers' service levels with Visma Amili (premium, vip, service_bypass; everyone else is
"default", which Maventa does not list): mirrored, and set by staff one customer at a time or
as a bulk run."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from companies.access import company_api
from companies.models import Company
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.bulk.runs import ItemSpec, start_run
from maventa_portal.maventa_api import receivables as rcv

from ..models import Assignment, ServiceLevel

KIND = "receivables.set_service_levels"


def sync_levels(*, company: Company) -> int:
    """Maventa's list mirrored, and every debtor of the company's cases known (at "default"
    unless listed), so that staff can choose among them; the number of customers known."""
    listed = {
        level.customer_bid: level.service_level
        for level in rcv.list_service_levels(company_api(company, scope=rcv.SCOPE))
        if level.customer_bid
    }
    debtors = set(
        Assignment.objects.filter(company=company)
        .exclude(debtor_bid="")
        .values_list("debtor_bid", flat=True)
    )
    known = {row.customer_bid: row for row in ServiceLevel.objects.filter(company=company)}
    customers = debtors | set(listed) | set(known)
    now = timezone.now()
    changed = []
    for bid, row in known.items():
        level = listed.get(bid, ServiceLevel.Level.DEFAULT)
        if row.level != level:
            row.level, row.updated_at = level, now
            changed.append(row)
    new = [
        ServiceLevel(
            company=company, customer_bid=bid, level=listed.get(bid, ServiceLevel.Level.DEFAULT)
        )
        for bid in customers - set(known)
    ]
    # In bulk: hundreds of customers a company, every quarter of an hour.
    with transaction.atomic():
        ServiceLevel.objects.bulk_update(changed, ["level", "updated_at"], batch_size=500)
        ServiceLevel.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(customers)


def set_level(*, row: ServiceLevel, level: str, actor: Actor | None = None) -> ServiceLevel:
    asked = {"customer_bid": row.customer_bid, "level": level}
    with recording(
        actor, "receivables.set_service_level", target=row, company=row.company_id, asked=asked
    ) as rec:
        rcv.set_service_level(
            company_api(row.company, scope=rcv.SCOPE),
            customer_bid=row.customer_bid,
            service_level=level,
        )
        row.level = level
        row.save(update_fields=["level", "updated_at"])
        rec.note = f"{row.customer_bid} is {row.get_level_display()}"
    return row


def start_levels_run(*, rows, level: str, actor: Actor | None = None, request_key: str = ""):
    return start_run(
        kind=KIND,
        options={"level": level},
        items=[
            ItemSpec(object_id=row.pk, label=f"{row.customer_bid} ({row.company})") for row in rows
        ],
        actor=actor,
        request_key=request_key,
    )
