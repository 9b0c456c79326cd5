"""The events Maventa would announce by webhook, stored as rows for a later delivery.

Names and ``event_data`` follow API.md "Webhooks" and the vendor's sample payloads:
``NETWORKS.<NETWORK>.CREATED|ENABLED|DISABLED`` with ``{network, profiles, id}``, and
``COMPANIES.AUTHORIZATION.<STATE>`` with ``{state}``, ``DOCUMENTS.INVOICE.RECEIVED|DELIVERED|
FAILED`` with the fields of the vendor's invoice samples, and ``DOCUMENTS.<TYPE>.<CHANGE>`` for
other documents (their ``event_data`` is not shown by the vendor: the invoice's, with
``document_*`` names, assumed). An event is dated when its change happened, which for lifecycle
changes is the due moment, not the read or tick that noticed it. Each event goes to the outbox
of the subscriptions it reaches in the same transaction (``outbox.enqueue``).
"""

from datetime import datetime

from django.utils import timezone

from . import outbox
from .models import Company, Document, Event, Invoice, Registration

CREATED, ENABLED, DISABLED = "CREATED", "ENABLED", "DISABLED"
RECEIVED, DELIVERED, FAILED = "RECEIVED", "DELIVERED", "FAILED"
DELIVERY_CONFIRMED = "DELIVERY_CONFIRMED"


def record_event(company: Company, name: str, data: dict, at: datetime | None = None) -> Event:
    event = Event.objects.create(
        company=company, name=name, data=data, created_at=at or timezone.now()
    )
    outbox.enqueue(event)
    return event


def network_event(registration: Registration, change: str, at: datetime | None = None) -> Event:
    data = {
        "network": registration.network,
        "profiles": list(registration.profiles),
        "id": str(registration.pk),
    }
    return record_event(registration.company, f"NETWORKS.{registration.network}.{change}", data, at)


def authorization_event(company: Company, state: str, at: datetime | None = None) -> Event:
    return record_event(company, f"COMPANIES.AUTHORIZATION.{state}", {"state": state}, at)


def invoice_event(invoice: Invoice, change: str, at: datetime, error_message: str = "") -> Event:
    """API.md "Webhooks": RECEIVED names the sender and origin, DELIVERED and FAILED the
    recipient and destination; FAILED adds ``error_message``."""
    data = {"invoice_id": str(invoice.pk), "invoice_number": invoice.number}
    if change == RECEIVED:
        data |= {
            "origin": invoice.network or invoice.origin,
            "sender_name": invoice.sender_name,
            "sender_bid": invoice.sender_bid,
        }
    else:
        data |= {
            "destination": invoice.destination,
            "recipient_name": invoice.recipient_name,
            "recipient_bid": invoice.recipient_bid,
        }
    if change == FAILED:
        data["error_message"] = error_message
    return record_event(invoice.company, f"DOCUMENTS.INVOICE.{change}", data, at)


def document_event(document: Document, change: str, at: datetime, error_message: str = "") -> Event:
    data = {
        "document_id": str(document.pk),
        "document_number": document.number,
        "document_type": document.type,
    }
    if change == RECEIVED:
        data |= {"sender_name": document.sender_name, "sender_bid": document.sender_bid}
    else:
        data |= {"recipient_name": document.recipient_name, "recipient_bid": document.recipient_bid}
    if change == FAILED:
        data["error_message"] = error_message
    return record_event(document.company, f"DOCUMENTS.{document.type}.{change}", data, at)
