"""The partner feeds (FIELDS.md section 10), read with the partner's own company's token.

- Inbound: received invoices of every company of the vendor key still ``CREATED`` in the feed.
  Each is fetched as its company (the same upsert as the sync, so nothing is stored twice) and
  then marked ``HANDLED``, which takes it out of the feed. Handled items leave the first page,
  so the first page is read again until it is empty or a round handles nothing (what failed
  stays for the next poll).
- Outbound errors: sent invoices that failed since the last poll, in one call across all
  companies; each is refreshed from Maventa, so its FAILED status and reason come from Maventa's
  own history. The window moves on only after a poll read it whole, and overlaps the last one.

Both run from a schedule; a company the portal does not know is counted and left alone.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from companies.access import company_api
from companies.models import Company
from maventa_portal.core.errors import PortalError
from maventa_portal.maventa_api import MaventaError, paging
from maventa_portal.maventa_api.ax import invoices as ax_invoices
from maventa_portal.maventa_api.ax import partner

from ..models import Direction, Invoice, PartnerFeedState
from .received import fetch_one
from .status import refresh_sent_invoice

log = logging.getLogger(__name__)

OUTBOUND_ERRORS = "outbound_errors"
OVERLAP = timedelta(minutes=10)
FIRST_LOOK_BACK = timedelta(days=1)
MAX_ROUNDS = 50
NO_PARTNER = "MAVENTA_PARTNER_COMPANY_ID is not set: the partner feeds are not read."
PARTNER_UNKNOWN = (
    "The partner company {id} (MAVENTA_PARTNER_COMPANY_ID) is not linked in the portal with its "
    "API key: link it on the companies page."
)


class NoPartnerCompany(PortalError):
    pass


def partner_api():
    return company_api(partner_company(), scope=partner.SCOPE)


def partner_company() -> Company:
    """The partner's own company (MAVENTA_PARTNER_COMPANY_ID), as linked in the portal."""
    wanted = settings.MAVENTA_PARTNER_COMPANY_ID
    if not wanted:
        raise NoPartnerCompany(NO_PARTNER)
    try:
        company = _companies_by_id([wanted]).get(str(uuid.UUID(wanted)))
    except ValueError:
        company = None
    if company is None:
        raise NoPartnerCompany(PARTNER_UNKNOWN.format(id=wanted))
    return company


def poll_inbound() -> dict[str, int]:
    """``{"handled", "failed", "not_ours"}`` of the received invoices the feed listed."""
    api = partner_api()
    counts = {"handled": 0, "failed": 0, "not_ours": 0}
    left_alone: set[tuple[str, str]] = set()
    for _ in range(MAX_ROUNDS):
        page = partner.inbound(api, state="CREATED", per_page=100)
        fresh = [i for i in page.items if (i.company_id, i.invoice_id) not in left_alone]
        if not fresh:
            break
        companies = _companies_by_id(item.company_id for item in fresh)
        for item in fresh:
            company = companies.get(item.company_id)
            if company is None:
                counts["not_ours"] += 1
            elif _handle(company, item.invoice_id):
                counts["handled"] += 1
                continue
            else:
                counts["failed"] += 1
            left_alone.add((item.company_id, item.invoice_id))
    return counts


def _handle(company: Company, invoice_id: str) -> bool:
    try:
        fetch_one(company, invoice_id)
        api = company_api(company, scope=ax_invoices.SCOPE)
        ax_invoices.mark_invoice_event(api, invoice_id=invoice_id, state="HANDLED")
    except (MaventaError, PortalError) as exc:
        log.warning("Received invoice %s of %s not handled: %s", invoice_id, company, exc)
        return False
    return True


def poll_outbound_errors() -> dict[str, int]:
    """``{"listed", "failed_now", "unknown", "refresh_failed"}`` since the last poll."""
    api = partner_api()
    state, _ = PartnerFeedState.objects.get_or_create(feed=OUTBOUND_ERRORS)
    now = timezone.now()
    since = (state.polled_until - OVERLAP) if state.polled_until else now - FIRST_LOOK_BACK
    counts = {"listed": 0, "failed_now": 0, "unknown": 0, "refresh_failed": 0}
    try:
        for page in paging.pages(
            # No end: Maventa's now (ours, sent to the second, could cut the last moment off);
            # the next window starts an overlap before this poll began.
            lambda number: partner.outbound_errors(api, happened_after=since, page=number)
        ):
            for error in page.items:
                counts["listed"] += 1
                _refresh_failed(error.invoice_id, counts)
    except MaventaError as exc:
        _record(state, counts, error=str(exc))
        raise
    state.polled_until = now
    _record(state, counts)
    return counts


def _refresh_failed(invoice_id: str, counts: dict[str, int]) -> None:
    try:
        maventa_id = uuid.UUID(invoice_id)
    except ValueError:
        counts["unknown"] += 1
        return
    invoice = (
        Invoice.objects.filter(maventa_id=maventa_id, direction=Direction.SENT)
        .select_related("company", "company__credential", "company__vendor_key")
        .first()
    )
    if invoice is None:
        counts["unknown"] += 1
        return
    was = invoice.status
    try:
        invoice = refresh_sent_invoice(invoice=invoice)
    except (MaventaError, PortalError) as exc:
        log.warning("Failed delivery of invoice %s not refreshed: %s", invoice_id, exc)
        counts["refresh_failed"] += 1
        return
    if invoice.status == Invoice.Status.FAILED and was != Invoice.Status.FAILED:
        counts["failed_now"] += 1


def _record(state: PartnerFeedState, counts: dict[str, int], *, error: str = "") -> None:
    state.last_run_at = timezone.now()
    state.last_error = error[:2000]
    state.last_counts = counts
    state.save()


def _companies_by_id(ids) -> dict[str, Company]:
    wanted = set()
    for value in ids:
        try:
            wanted.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    found = Company.objects.filter(maventa_id__in=wanted).select_related("credential", "vendor_key")
    return {str(company.maventa_id): company for company in found}
