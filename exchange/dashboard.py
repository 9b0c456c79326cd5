"""Exchange on the dashboard: invoices and documents per day, webhook events per hour, print
batches by status. One grouped query a chart; the single figures are summed from it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from maventa_portal.core.dashboard import Figure, per_day, per_hour, total

from .models import Direction, Document, Invoice, WebhookEvent
from .print_models import PrintBatch

INVOICE_SENT = {
    "Delivered": [Invoice.Status.DELIVERED],
    "Failed": [Invoice.Status.FAILED],
    "Pending": [Invoice.Status.PENDING, Invoice.Status.UNKNOWN],
}
DOCUMENT_SENT = {
    "Delivered": [Document.Status.DELIVERED, Document.Status.CONFIRMED_DELIVERY],
    "Failed": [Document.Status.FAILED],
    "Pending": [Document.Status.PROCESSING, Document.Status.RESERVED, Document.Status.UNKNOWN],
}
WEBHOOK_STATES = {
    "Processed": [WebhookEvent.State.PROCESSED],
    "Failed": [
        WebhookEvent.State.FAILED,
        WebhookEvent.State.INVALID,
        WebhookEvent.State.UNMATCHED,
        WebhookEvent.State.UNKNOWN_TYPE,
    ],
    "Waiting": [WebhookEvent.State.RECEIVED, WebhookEvent.State.PROCESSING],
}


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _sent_and_received(model, name, sent_labels, *, plural, since, until) -> list[Figure]:
    # Sends are dated by when they left (drafts have no sent_at), receipts by when they came.
    sent = per_day(
        model.objects.filter(direction=Direction.SENT),
        "sent_at",
        since=since,
        until=until,
        split="status",
        labels=sent_labels,
    )
    received = per_day(
        model.objects.filter(direction=Direction.RECEIVED),
        "received_at",
        since=since,
        until=until,
        split="direction",
        labels={"Received": [Direction.RECEIVED]},
    )
    key = plural.lower()
    # The lists open on exactly the rows counted: from the period's first local day.
    day = timezone.localdate(since).isoformat()
    sent_url = _url(name, direction=Direction.SENT, since=day)
    return [
        Figure(f"{key}_sent", f"{plural} sent", sent_url, total(sent), sent),
        Figure(
            f"{key}_delivered",
            f"{plural} delivered",
            _url(name, direction=Direction.SENT, status="DELIVERED", since=day),
            total(sent, "Delivered"),
        ),
        Figure(
            f"{key}_failed",
            f"{plural} failed",
            _url(name, direction=Direction.SENT, status="FAILED", since=day),
            total(sent, "Failed"),
        ),
        Figure(
            f"{key}_received",
            f"{plural} received",
            _url(name, direction=Direction.RECEIVED, since=day),
            total(received),
            received,
        ),
    ]


def _print_batches(*, since, until) -> list[Figure]:
    # Maventa writes its own status words, so the labels are the statuses found.
    found = list(
        PrintBatch.objects.filter(created_at__gte=since, created_at__lte=until)
        .order_by("status")
        .values_list("status", flat=True)
        .distinct()
    )
    if not found:
        return [Figure("print_batches", "Print batches", _url("exchange:print_list"), 0, [])]
    series = per_day(
        PrintBatch.objects.all(),
        "created_at",
        since=since,
        until=until,
        split="status",
        labels={status: [status] for status in found},
    )
    return [
        Figure("print_batches", "Print batches", _url("exchange:print_list"), total(series), series)
    ] + [
        Figure(
            f"print_{status.lower()}",
            f"Print batches {_status_label(status)}",
            _url("exchange:print_list", status=status),
            total(series, status),
        )
        for status in found
    ]


def _status_label(status: str) -> str:
    return status.replace("_", " ").lower()


def figures(*, since, until, user) -> list[Figure]:
    shown: list[Figure] = []
    if user.has_perm("exchange.view_invoice"):
        shown += _sent_and_received(
            Invoice, "exchange:list", INVOICE_SENT, plural="Invoices", since=since, until=until
        )
    if user.has_perm("exchange.view_document"):
        shown += _sent_and_received(
            Document,
            "exchange:documents",
            DOCUMENT_SENT,
            plural="Documents",
            since=since,
            until=until,
        )
    if user.has_perm("exchange.view_webhookevent"):
        events = per_hour(
            WebhookEvent.objects.all(),
            "received_at",
            until=until,
            split="state",
            labels=WEBHOOK_STATES,
        )
        shown.append(
            Figure(
                "webhook_events",
                "Webhook events, last 48 hours",
                reverse("admin:exchange_webhookevent_changelist"),
                total(events),
                events,
            )
        )
    if user.has_perm("exchange.view_printbatch"):
        shown += _print_batches(since=since, until=until)
    return shown
