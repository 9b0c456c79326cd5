"""django-q2 task functions of the exchange app, named as the services they run."""

from __future__ import annotations

from .models import Invoice
from .services import documents, receiving, sending, status


def reconcile_invoice(invoice_id: int | str) -> str:
    invoice = Invoice.objects.select_related("company").filter(pk=int(invoice_id)).first()
    if invoice is None:
        return "gone"
    return sending.reconcile(invoice=invoice).status


def reconcile_unknown() -> dict[str, int]:
    return sending.reconcile_unknown()


def refresh_sent() -> dict[str, int]:
    return status.refresh_sent()


def sync_received() -> dict[str, int]:
    return receiving.sync_all_received()


def reconcile_unknown_documents() -> dict[str, int]:
    return documents.reconcile_unknown_documents()


def process_webhook_event(event_id: int | str) -> str:
    from .webhooks.processing import process_event

    return process_event(event_id=int(event_id))


def drain_webhook_events() -> dict[str, int]:
    from .webhooks.processing import drain

    return drain()


def sweep_webhook_events() -> dict[str, int]:
    from .webhooks.processing import sweep

    return sweep()


def reconcile() -> dict:
    from .webhooks import reconcile as fallback

    run = fallback.reconcile(trigger="schedule")
    return {"run": run.pk, "findings": len(run.findings), "errors": len(run.errors)}


def poll_partner_feeds() -> dict:
    """Both partner feeds; without a partner company set, says so and reads nothing."""
    from .services import partner_feeds

    try:
        inbound = partner_feeds.poll_inbound()
    except partner_feeds.NoPartnerCompany as exc:
        return {"skipped": exc.staff_message}
    return {"inbound": inbound, "outbound_errors": partner_feeds.poll_outbound_errors()}


def poll_print_statuses() -> dict[str, int]:
    from .services import printing

    return printing.poll_status()


def send_print_batch(batch_id: int | str) -> str:
    from .services import printing

    return printing.deliver(int(batch_id))
