"""The exchange app's kinds of bulk work (gathered by core.bulk.kinds)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.dateparse import parse_datetime

from companies.models import Company
from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.kinds import BulkKind, Outcome
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import BulkItem, BulkRun

from .models import Invoice
from .services import receiving, sending, subscriptions

SEND_INVOICES = "exchange.send_invoices"
INVOICE_GONE = "The draft was deleted after the run started."
SYNC_RECEIVED = receiving.SYNC_KIND
COMPANY_GONE = "The company was deleted from the portal after the run started."
SUBSCRIBE_WEBHOOKS = "exchange.subscribe_webhooks"


def _invoice_url(item: BulkItem) -> str | None:
    return reverse("exchange:detail", args=[item.object_id]) if item.object_id else None


def send_for_item(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    invoice = Invoice.objects.select_related("company").filter(pk=item.object_id).first()
    if invoice is None:
        raise PortalError(INVOICE_GONE)
    if invoice.status == Invoice.Status.UNKNOWN:
        # A worker lost while sending: look the send up, never send it blindly again.
        sending.reconcile(invoice=invoice)
    else:
        sending.send_invoice(invoice=invoice, actor=actor, resend=bool(run.options.get("resend")))
    if invoice.status == Invoice.Status.UNKNOWN:
        return Outcome(sending.LOST_ANSWER, {"status": invoice.status})
    return Outcome(
        f"Sent: Maventa has it as {invoice.get_status_display().lower()}.",
        {"status": invoice.status},
    )


def _company_url(item: BulkItem) -> str | None:
    return reverse("companies:detail", args=[item.object_id]) if item.object_id else None


def _describe_sync(options: dict) -> str:
    since = options.get("since")
    return f"Fetching received invoices{f' since {since[:10]}' if since else ''}"


def sync_for_item(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    company = Company.objects.select_related("credential", "vendor_key").filter(pk=item.object_id)
    company = company.first()
    if company is None:
        raise PortalError(COMPANY_GONE)
    since = run.options.get("since")
    result = receiving.sync_received(
        company=company,
        since=parse_datetime(since) if since else None,
        # Audited when staff started the run; the schedule's runs are not (one a few minutes).
        actor=actor if getattr(actor.user, "pk", None) else None,
    )
    return Outcome(result.summary, result.as_dict())


def subscribe_for_item(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    company = Company.objects.select_related("credential", "vendor_key").filter(pk=item.object_id)
    company = company.first()
    if company is None:
        raise PortalError(COMPANY_GONE)
    live = subscriptions.live_for(company)
    if live is not None:
        return Outcome(
            f"Already subscribed (Maventa id {live.maventa_id}).", {"id": live.maventa_id}
        )
    events = run.options.get("events") or list(subscriptions.DEFAULT_EVENTS)
    made = subscriptions.subscribe_company(company=company, events=events, actor=actor)
    return Outcome(f"Subscribed (Maventa id {made.maventa_id}).", {"id": made.maventa_id})


KINDS = [
    BulkKind(
        name=SEND_INVOICES,
        describe=lambda options: "Sending invoices",
        handle=send_for_item,
        start_permission="exchange.send_invoice",
        view_permission="exchange.view_invoice",
        object_url=_invoice_url,
        item_noun="invoice",
        items_noun="invoices",
    ),
    BulkKind(
        name=SYNC_RECEIVED,
        describe=_describe_sync,
        handle=sync_for_item,
        start_permission="exchange.sync_received",
        view_permission="exchange.view_invoice",
        # BULK_CONCURRENCY companies at once; a company's own calls go one after another.
        concurrency=None,
        object_url=_company_url,
        item_noun="company",
        items_noun="companies",
    ),
    BulkKind(
        name=SUBSCRIBE_WEBHOOKS,
        describe=lambda options: "Subscribing companies to Maventa's webhooks",
        handle=subscribe_for_item,
        start_permission="exchange.manage_webhooksubscription",
        view_permission="exchange.view_webhooksubscription",
        object_url=_company_url,
        item_noun="company",
        items_noun="companies",
    ),
]
