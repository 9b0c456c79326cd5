"""Exchange in the needs-attention queue: failed and lost sends, webhook events, print batches."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from maventa_portal.core.attention import AttentionItem, AttentionKind

from .models import Direction, Document, Invoice, InvoiceAction, WebhookEvent
from .print_models import PrintBatch

# Maventa's word for a batch it could not print, beside the portal's own FAILED.
PRINT_FAILED = (PrintBatch.Status.FAILED, "ERROR")
PRINT_WAITING = (PrintBatch.Status.UNKNOWN,)


def _since(queryset):
    return queryset.annotate(since=Coalesce("status_changed_at", "sent_at", "created_at"))


def _failed_invoices():
    # A reroute or a later delivery Maventa told of resolves the failure even before the
    # mirrored status catches up.
    later = InvoiceAction.objects.filter(
        invoice=OuterRef("pk"),
        type__in=[InvoiceAction.Type.SENT, InvoiceAction.Type.DELIVERED],
        happened_at__gt=OuterRef("status_changed_at"),
    )
    return _since(
        Invoice.objects.filter(direction=Direction.SENT, status=Invoice.Status.FAILED)
    ).exclude(Exists(later))


def _sent(model, status):
    return _since(model.objects.filter(direction=Direction.SENT, status=status))


def _invoice_items(key: str, queryset: Callable, what: str):
    def items(limit: int) -> list[AttentionItem]:
        rows = queryset().select_related("company").order_by("since", "pk")[:limit]
        return [
            AttentionItem(
                kind=key,
                label=f"Invoice {invoice.number or invoice.maventa_id or invoice.pk} {what}"
                + (f" to {invoice.recipient_name}" if invoice.recipient_name else ""),
                company_name=invoice.company.name,
                since=invoice.since,
                url=reverse("exchange:detail", args=[invoice.pk]),
            )
            for invoice in rows
        ]

    return items


def _document_items(key: str, queryset: Callable, what: str):
    def items(limit: int) -> list[AttentionItem]:
        rows = queryset().select_related("company").order_by("since", "pk")[:limit]
        return [
            AttentionItem(
                kind=key,
                label=f"{document.get_type_display()} "
                f"{document.number or document.transmission_id or document.pk} {what}",
                company_name=document.company.name,
                since=document.since,
                url=reverse("exchange:document_detail", args=[document.pk]),
            )
            for document in rows
        ]

    return items


def _changelist(name: str, query: str) -> Callable[[], str]:
    return lambda: f"{reverse(f'admin:exchange_{name}_changelist')}?{query}"


WEBHOOK_STATES = (WebhookEvent.State.FAILED, WebhookEvent.State.UNMATCHED)


def _events():
    return WebhookEvent.objects.filter(state__in=WEBHOOK_STATES)


def _event_items(limit: int) -> list[AttentionItem]:
    events = _events().select_related("company").order_by("received_at", "pk")[:limit]
    return [
        AttentionItem(
            kind="webhook_events",
            label=f"{event.name or 'Invalid event'}: {event.get_state_display().lower()}",
            company_name=event.company.name if event.company else event.maventa_company_id,
            since=event.received_at,
            url=reverse("admin:exchange_webhookevent_change", args=[event.pk]),
        )
        for event in events
    ]


def _print_batches():
    # A failed package sent again and taken by Maventa (the same zip, by SHA-1) is resolved.
    resent = PrintBatch.objects.filter(
        company=OuterRef("company"),
        checksum=OuterRef("checksum"),
        created_at__gt=OuterRef("created_at"),
    ).exclude(status__in=[*PRINT_FAILED, *PRINT_WAITING])
    return (
        PrintBatch.objects.filter(status__in=[*PRINT_FAILED, *PRINT_WAITING])
        .exclude(Q(status__in=PRINT_FAILED) & Exists(resent))
        .annotate(since=Coalesce("sent_at", "created_at"))
    )


def _print_items(limit: int) -> list[AttentionItem]:
    batches = _print_batches().select_related("company").order_by("since", "pk")[:limit]
    return [
        AttentionItem(
            kind="print_batches",
            label=f"{batch.filename}: {batch.status_label}",
            company_name=batch.company.name,
            since=batch.since,
            url=reverse("exchange:print_detail", args=[batch.pk]),
        )
        for batch in batches
    ]


def _unknown_invoices():
    return _sent(Invoice, Invoice.Status.UNKNOWN)


def _failed_documents():
    return _sent(Document, Document.Status.FAILED)


def _unknown_documents():
    return _sent(Document, Document.Status.UNKNOWN)


KINDS = [
    AttentionKind(
        key="failed_invoices",
        title="Failed invoice deliveries",
        permission="exchange.view_invoice",
        count=lambda: _failed_invoices().count(),
        items=_invoice_items("failed_invoices", _failed_invoices, "failed"),
        more_url=_changelist("invoice", "direction__exact=SENT&status__exact=FAILED"),
    ),
    AttentionKind(
        key="failed_documents",
        title="Failed document deliveries",
        permission="exchange.view_document",
        count=lambda: _failed_documents().count(),
        items=_document_items("failed_documents", _failed_documents, "failed"),
        more_url=_changelist("document", "direction__exact=SENT&status__exact=FAILED"),
    ),
    AttentionKind(
        key="unknown_invoices",
        title="Invoice sends awaiting reconciliation (answer lost)",
        permission="exchange.view_invoice",
        count=lambda: _unknown_invoices().count(),
        items=_invoice_items("unknown_invoices", _unknown_invoices, "answer lost"),
        more_url=_changelist("invoice", "direction__exact=SENT&status__exact=UNKNOWN"),
    ),
    AttentionKind(
        key="unknown_documents",
        title="Document sends awaiting reconciliation (answer lost)",
        permission="exchange.view_document",
        count=lambda: _unknown_documents().count(),
        items=_document_items("unknown_documents", _unknown_documents, "answer lost"),
        more_url=_changelist("document", "direction__exact=SENT&status__exact=UNKNOWN"),
    ),
    AttentionKind(
        key="webhook_events",
        title="Unmatched or failed webhook events",
        permission="exchange.view_webhookevent",
        count=lambda: _events().count(),
        items=_event_items,
        more_url=_changelist("webhookevent", "state__in=FAILED,UNMATCHED"),
    ),
    AttentionKind(
        key="print_batches",
        title="Print batches failed or without an answer",
        permission="exchange.view_printbatch",
        count=lambda: _print_batches().count(),
        items=_print_items,
        more_url=_changelist("printbatch", "status__in=FAILED,ERROR,UNKNOWN"),
    ),
]
