"""``manage.py sync_received``: fetches received invoices now, company after company, inline.

``--company`` (repeatable) takes a portal id, a business id (with or without separators) or a
Maventa company id; without it, every company that can receive. ``--since`` (an ISO date or
date-time; a date means its midnight in the portal's time zone) reads from then instead of from
each company's watermark, to fetch again what was missed. One company failing does not stop
the others; the command then exits with an error naming how many failed.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from companies.models import Company
from companies.selectors import compact_bid
from exchange.services.receiving import exchanging_companies, sync_received
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_message_of

NO_SUCH_COMPANY = "No company is {value!r} (a portal id, business id or Maventa id)."
AMBIGUOUS = "{value!r} names several companies: {names}. Give the portal id."
BAD_SINCE = "--since must be an ISO date or date-time (2026-01-31 or 2026-01-31T12:00:00Z)."


def find_company(value: str) -> Company:
    value = value.strip()
    match = Q(bid_compact=compact_bid(value))
    if value.isdigit():
        match |= Q(pk=int(value))
    try:
        match |= Q(maventa_id=uuid.UUID(value))
    except ValueError:
        pass
    found = list(Company.objects.filter(match)[:5])
    if not found:
        raise CommandError(NO_SUCH_COMPANY.format(value=value))
    if len(found) > 1:
        names = ", ".join(f"{c} (id {c.pk})" for c in found)
        raise CommandError(AMBIGUOUS.format(value=value, names=names))
    return found[0]


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(BAD_SINCE)
        moment = datetime.combine(day, time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Fetches received invoices from Maventa now, for the companies given or all."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--company",
            action="append",
            default=[],
            help="portal id, business id or Maventa id; repeat for several (default: all)",
        )
        parser.add_argument("--since", help="ISO date or date-time to read from")

    def handle(self, *args, company: list[str], since: str | None, **options) -> None:
        start = parse_since(since)
        chosen = [find_company(value) for value in company]
        companies = chosen or list(exchanging_companies().select_related("credential"))
        actor = Actor(via="manage.py sync_received")
        failed = 0
        for each in companies:
            try:
                result = sync_received(company=each, since=start, actor=actor)
            except Exception as exc:  # noqa: BLE001 - the service logged it; go on with the others
                failed += 1
                self.stderr.write(f"{each}: failed: {staff_message_of(exc)}")
                continue
            until = result.received_until
            known = f" Known up to {timezone.localtime(until):%Y-%m-%d %H:%M}." if until else ""
            self.stdout.write(f"{each}: {result.summary}{known}")
        if failed:
            raise CommandError(f"{failed} of {len(companies)} companies failed.")
        self.stdout.write(self.style.SUCCESS(f"{len(companies)} companies fetched."))
