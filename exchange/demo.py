"""Demo invoices for `make run`: sent through the real sending service, received through the
real sync, against the built-in sandbox.

The invoices are the sandbox's own samples (read as files: the portal imports nothing of the
sandbox but its control client, which stands in for senders elsewhere). Idempotent: nothing is
added once any invoice exists.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from companies.models import Company
from maventa_portal.sandbox.control_client import SandboxControl

from .models import Invoice, WebhookSubscription
from .services import subscriptions
from .services.drafts import SendOptions, Upload, prepare_invoice
from .services.receiving import sync_received
from .services.sending import send_invoice

SAMPLES = Path(settings.BASE_DIR) / "maventa_portal" / "sandbox" / "samples"
# business id, sample files it sends
SENDS = [
    ("2660421-6", ("finvoice30-simple.xml", "finvoice30-vat-rates.xml")),
    ("923609016", ("ehf30-billing-invoice.xml",)),
]
# business id, how many invoices it receives
RECEIVES = [("2660421-6", 6), ("12345678", 4)]


# A few invoices arrive by themselves while the demo runs, as they would in real life.
INCOMING_PER_HOUR = 6


def seed_demo() -> str:
    control = SandboxControl(settings.MAVENTA_SANDBOX_URL)
    control.set_exchange(incoming_per_hour=INCOMING_PER_HOUR)
    subscribed = _subscribe()
    if Invoice.objects.exists():
        return f"demo invoices already there; {subscribed}"
    sent = received = 0
    for bid, files in SENDS:
        company = Company.objects.filter(bid=bid).first()
        if company is None or not company.is_verified:
            continue
        for name in files:
            draft = prepare_invoice(
                company=company,
                xml=Upload(name, (SAMPLES / name).read_bytes()),
                options=SendOptions(),
            )
            send_invoice(invoice=draft.invoice)
            sent += 1
    for bid, count in RECEIVES:
        company = Company.objects.filter(bid=bid).first()
        if company is None or not company.is_verified:
            continue
        control.incoming(str(company.maventa_id), count=count, format="MIXED")
        received += sync_received(company=company).new
    return f"{sent} invoices sent, {received} received; {subscribed}"


def _subscribe() -> str:
    """Every verified demo company subscribed to the sandbox's webhooks, posting to this portal."""
    if WebhookSubscription.objects.filter(deleted_at__isnull=True).exists():
        return "webhooks already subscribed."
    companies = Company.objects.filter(
        company_state=Company.State.VERIFIED, credential__isnull=False
    )
    made = 0
    for company in companies.exclude(maventa_id__isnull=True):
        subscriptions.subscribe_company(company=company)
        made += 1
    return f"{made} companies subscribed to webhooks."
