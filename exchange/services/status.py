"""Sent invoices still moving, polled from Maventa: webhooks are not guaranteed (API.md).

Polled (GET /v1/invoices/{id}, mirrored with source POLL) are the PENDING sends and, for
``DELIVERED_WATCH`` (7 days) after they were seen delivered, the DELIVERED ones: Maventa may
still report FAILED after DELIVERED (a bounced email, a print that could not be posted;
FIELDS.md section 5, statuses and ERROR actions). At most ``PER_RUN`` a run, those polled
longest ago first (every poll saves the row, so ``updated_at`` says when), so a backlog is
worked through over the following runs. A company whose calls fail (no key, Maventa refusing)
is left for the rest of the run; one failure never stops the others.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from companies.access import CompanyNotReady, company_api
from maventa_portal.core.errors import STAFF_ERRORS
from maventa_portal.maventa_api import Forbidden, NotFound, Unauthorized
from maventa_portal.maventa_api.ax import invoices as ax_invoices

from ..models import Direction, Invoice, Source
from .mirror import apply_remote

log = logging.getLogger(__name__)

Status = Invoice.Status
DELIVERED_WATCH = timedelta(days=7)
PER_RUN = 200


def moving_sent_invoices():
    """Sent invoices whose status may still change, the least recently polled first."""
    watched_since = timezone.now() - DELIVERED_WATCH
    delivered_lately = Q(status=Status.DELIVERED) & (
        Q(status_changed_at__gte=watched_since)
        | Q(status_changed_at__isnull=True, sent_at__gte=watched_since)
    )
    return (
        Invoice.objects.filter(direction=Direction.SENT, maventa_id__isnull=False)
        .filter(Q(status=Status.PENDING) | delivered_lately)
        .select_related("company", "company__credential", "company__vendor_key")
        .order_by("updated_at", "pk")
    )


def refresh_sent_invoice(*, invoice: Invoice) -> Invoice:
    """Maventa's current view of one sent invoice, mirrored (its new actions kept once)."""
    api = company_api(invoice.company, scope=ax_invoices.SCOPE)
    remote = ax_invoices.get_invoice(api, invoice_id=str(invoice.maventa_id))
    return apply_remote(invoice, remote, source=Source.POLL)


def refresh_sent(*, limit: int = PER_RUN) -> dict[str, int]:
    """The schedule's work: ``{"polled", "changed", "failed"}``."""
    counts = {"polled": 0, "changed": 0, "failed": 0}
    refused: set[int] = set()
    for invoice in moving_sent_invoices()[:limit]:
        if invoice.company_id in refused:
            continue
        before = invoice.status
        try:
            refresh_sent_invoice(invoice=invoice)
        except NotFound:
            # Maventa keeps sends; a 404 is an invoice of another environment or account.
            counts["failed"] += 1
            log.warning(
                "Maventa does not know sent invoice %s (%s)", invoice.pk, invoice.maventa_id
            )
            Invoice.objects.filter(pk=invoice.pk).update(updated_at=timezone.now())
            continue
        except STAFF_ERRORS as exc:
            counts["failed"] += 1
            log.warning("Could not poll sent invoice %s: %s", invoice.pk, exc)
            if isinstance(exc, Unauthorized | Forbidden | CompanyNotReady):
                refused.add(invoice.company_id)  # the company's key: its other sends fail too
            continue
        counts["polled"] += 1
        counts["changed"] += invoice.status != before
    return counts
