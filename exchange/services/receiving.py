"""Received invoices, fetched from Maventa by polling GET /v1/invoices (FIELDS.md section 5).

Webhooks are not guaranteed (API.md), so the portal asks Maventa for each company's RECEIVED
invoices by ``received_at``, in windows:

- A window is at most ``WINDOW`` (a day) long. The first starts at the company's watermark
  minus ``OVERLAP`` (ten minutes), or at ``since``, or ``FIRST_LOOKBACK`` (30 days) back for a
  company never fetched; the last ends now. The overlap catches an invoice Maventa lists a
  little after its ``received_at`` and clocks that differ a little; whatever is read twice is
  upserted by its Maventa id, so a repeat changes nothing.
- A window is read oldest first through the client's one paging helper (``paging.pages``,
  100 a page: Maventa's maximum, FIELDS.md section 5).
- The watermark (``ReceiveWatermark.received_until``) moves to a window's end only once every
  invoice of the window is stored with its files. An invoice that cannot be fetched stops the
  watermark before its window, not the run: the other invoices are still stored, so that one
  broken invoice cannot hold a company's others back. The next run reads from the watermark
  again (what is stored is only compared). The reason goes to ``last_error`` and the sync
  raises ``SyncIncomplete`` (a bulk item fails with it, for staff to see and retry). A list
  call failing, a key refused, a 429 or three invoices failing in a row stop the run at once.
- When more than a window is to be covered, one call (``per_page=1``) finds the first invoice;
  the empty stretch before it costs no call per day.

Each invoice listed is upserted by its Maventa id (``received.upsert_received``): a new one is
stored with its XML, PDF image and attachments, a known one mirrored again only when Maventa
says something new. Companies are fetched one bulk item each (``sync_all_received``), so one
company's failure never stops the others.
"""

from __future__ import annotations

import contextlib
import logging
import types
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from companies.access import company_api, ensure_can_exchange
from companies.models import Company
from exchange.models import Invoice, ReceiveWatermark
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.bulk.runs import ItemSpec, start_run
from maventa_portal.core.errors import STAFF_ERRORS, PortalError, staff_message_of
from maventa_portal.core.models import BulkRun
from maventa_portal.maventa_api import (
    Api,
    Forbidden,
    MaventaError,
    RateLimited,
    Unauthorized,
    paging,
)
from maventa_portal.maventa_api.ax import invoices as ax_invoices

from .received import known_invoices, upsert_received

log = logging.getLogger(__name__)

SYNC_KIND = "exchange.sync_received"
WINDOW = timedelta(days=1)
OVERLAP = timedelta(minutes=10)
FIRST_LOOKBACK = timedelta(days=30)
PER_PAGE = paging.MAX_PER_PAGE
# A run open longer than this is taken for stuck (the sweeper should have ended it long ago):
# it no longer holds the schedule back.
RUN_STALE_AFTER = timedelta(hours=1)
# Invoices failing one after another: Maventa is taken to be down, and the run stops.
FAILURES_IN_A_ROW = 3
INCOMPLETE = (
    "{done} {count} invoice(s) could not be fetched; the next run tries again. The first: {first}"
)


class SyncIncomplete(PortalError):
    """Some invoices were not fetched; the rest were, and the watermark stays before them."""

    refusal = False


@dataclass
class Received:
    """What one sync of a company did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    windows: int = 0
    received_until: datetime | None = None
    failures: list[str] = field(default_factory=list)
    failed_in_a_row: int = field(default=0, repr=False)
    # Ids read in this run: windows share their edges (bounds are inclusive at Maventa).
    seen: set[str] = field(default_factory=set, repr=False)

    @property
    def summary(self) -> str:
        if not (self.new or self.updated):
            return f"No new invoices ({self.unchanged} known)."
        return f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged."

    def as_dict(self) -> dict:
        until = self.received_until.isoformat() if self.received_until else None
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "windows": self.windows,
            "received_until": until,
        }


def exchanging_companies():
    """Companies that can receive through the portal: verified, on Maventa, with a key."""
    return Company.objects.filter(
        company_state=Company.State.VERIFIED,
        maventa_id__isnull=False,
        credential__isnull=False,
    ).order_by("name", "pk")


def sync_received(
    *,
    company: Company,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: Actor | None = None,
) -> Received:
    """Fetches the company's received invoices from ``since`` (default: its watermark minus the
    overlap) to ``until`` (now). Staff-started syncs (an ``actor``) are audited."""
    asked = {"since": since.isoformat() if since else None}
    audit = (
        recording(actor, "invoices.sync_received", target=company, asked=asked)
        if actor is not None
        else contextlib.nullcontext(types.SimpleNamespace(note=""))
    )
    with audit as rec:
        result = _sync(company, since, until)
        rec.note = result.summary
    return result


def _sync(company: Company, since: datetime | None, until: datetime | None) -> Received:
    mark, _ = ReceiveWatermark.objects.get_or_create(company=company)
    until = _whole_second(until or timezone.now())
    if since is not None:
        start = since
    elif mark.received_until is not None:
        start = mark.received_until - OVERLAP
    else:
        start = until - FIRST_LOOKBACK
    start = _whole_second(start)
    result = Received(received_until=mark.received_until)
    try:
        ensure_can_exchange(company)
        api = company_api(company, scope=ax_invoices.SCOPE)
        _walk(api, company, mark, start, until, result)
        if result.failures:
            raise SyncIncomplete(
                INCOMPLETE.format(
                    done=result.summary, count=len(result.failures), first=result.failures[0]
                )
            )
    except Exception as exc:
        _failed(company, mark, exc)
        raise
    ReceiveWatermark.objects.filter(pk=mark.pk).update(last_run_at=timezone.now(), last_error="")
    return result


def _walk(
    api: Api,
    company: Company,
    mark: ReceiveWatermark,
    start: datetime,
    until: datetime,
    result: Received,
) -> None:
    """Reads [start, until] window after window, moving the watermark over completed ones."""
    # A window after a gap in what is known proves nothing about the gap: no advance then.
    advancing = mark.received_until is None or start <= mark.received_until
    cursor = _first_arrival(api, start, until) if until - start > WINDOW else start
    if advancing and (cursor or until) > start:
        _advance(mark, cursor or until, result)  # nothing arrived before ``cursor``
    while cursor is not None:
        end = min(cursor + WINDOW, until)
        failed_before = len(result.failures)
        reached = _read_window(api, company, mark.return_format, cursor, end, result)
        result.windows += 1
        # A window with an invoice not stored is incomplete: the watermark stays before it
        # (later windows are still read, so that one invoice cannot hold the others back).
        advancing = advancing and len(result.failures) == failed_before
        if advancing:
            _advance(mark, reached, result)
        if reached >= until or reached <= cursor:
            break  # done; or one second holds more than the paging guard reads: next run
        cursor = reached


def _whole_second(moment: datetime) -> datetime:
    # Maventa's date-times have whole seconds (FIELDS.md section 0): bounds sent are bounds kept.
    return moment.replace(microsecond=0)


def _list(api: Api, start: datetime, end: datetime, page: int, per_page: int = PER_PAGE):
    return ax_invoices.list_invoices(
        api,
        direction="RECEIVED",
        received_at_start=start,
        received_at_end=end,
        sort="received_at",
        page=page,
        per_page=per_page,
    )


def _first_arrival(api: Api, start: datetime, until: datetime) -> datetime | None:
    """When the first invoice of [start, until] arrived; None when none did."""
    first = _list(api, start, until, page=1, per_page=1).items
    if not first:
        return None
    return max(start, min(_whole_second(_received_at(first[0]) or start), until))


def _received_at(remote: ax_invoices.Invoice) -> datetime | None:
    moment = parse_datetime(remote.received_at) if remote.received_at else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.UTC)
    return moment


def _read_window(
    api: Api,
    company: Company,
    return_format: str,
    start: datetime,
    end: datetime,
    result: Received,
) -> datetime:
    """Stores every invoice of [start, end]; returns how far the window is complete: ``end``,
    or the last invoice read when the paging guard stopped early (paging.MAX_PAGES)."""
    last_page = None
    for last_page in paging.pages(lambda number: _list(api, start, end, number)):
        known = known_invoices(last_page.items)
        for remote in last_page.items:
            if remote.id not in result.seen:
                result.seen.add(remote.id)
                _store(api, company, return_format, remote, known.get(remote.id), result)
    if last_page is None or last_page.is_last or not last_page.items:
        return end
    return _whole_second(_received_at(last_page.items[-1]) or start)


def _store(
    api: Api,
    company: Company,
    return_format: str,
    remote: ax_invoices.Invoice,
    invoice: Invoice | None,
    result: Received,
) -> None:
    """One invoice upserted; a failure of its own is counted and the run goes on, unless it
    concerns the whole company (a key refused, 429) or Maventa seems down (several in a row)."""
    try:
        outcome = upsert_received(
            api, company=company, remote=remote, invoice=invoice, return_format=return_format
        )
    except (RateLimited, Unauthorized, Forbidden):
        raise
    except MaventaError as exc:
        result.failures.append(f"invoice {remote.number or remote.id}: {exc.staff_message}")
        result.failed_in_a_row += 1
        if result.failed_in_a_row >= FAILURES_IN_A_ROW:
            raise
        log.warning("Received invoice %s of %s not fetched: %s", remote.id, company, exc)
        return
    result.failed_in_a_row = 0
    setattr(result, outcome, getattr(result, outcome) + 1)


def _advance(mark: ReceiveWatermark, reached: datetime, result: Received) -> None:
    if mark.received_until is not None and reached <= mark.received_until:
        return  # never backwards (a rerun from an earlier ``since``)
    mark.received_until = result.received_until = reached
    ReceiveWatermark.objects.filter(pk=mark.pk).update(received_until=reached)


def _failed(company: Company, mark: ReceiveWatermark, exc: Exception) -> None:
    message = staff_message_of(exc)
    if isinstance(exc, STAFF_ERRORS):
        log.warning("Fetching received invoices of %s failed: %s", company, exc)
    else:
        log.exception("Fetching received invoices of %s failed unexpectedly", company)
    ReceiveWatermark.objects.filter(pk=mark.pk).update(
        last_run_at=timezone.now(), last_error=message[:2000]
    )


def start_sync_run(
    *,
    companies,
    since: datetime | None = None,
    actor: Actor | None = None,
    request_key: str = "",
) -> BulkRun:
    """A bulk run fetching the received invoices of each company (the engine bounds how many
    at once: BULK_CONCURRENCY)."""
    return start_run(
        kind=SYNC_KIND,
        options={"since": since.isoformat() if since else None},
        items=[ItemSpec(object_id=company.pk, label=str(company)) for company in companies],
        actor=actor,
        request_key=request_key,
    )


def sync_all_received() -> dict[str, int]:
    """The schedule's entry: one run over every company that can receive, unless the last one
    is still going."""
    fresh = timezone.now() - RUN_STALE_AFTER
    open_run = BulkRun.objects.filter(kind=SYNC_KIND, finished_at=None, created_at__gte=fresh)
    if open_run.exists():
        return {"started": 0, "open_runs": open_run.count()}
    companies = list(exchanging_companies())
    if not companies:
        return {"started": 0, "companies": 0}
    run = start_sync_run(companies=companies)
    return {"started": 1, "run": run.pk, "companies": len(companies)}
