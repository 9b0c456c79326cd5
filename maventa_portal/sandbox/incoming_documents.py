"""Orders arriving from outside, for the control API (``POST /_control/incoming`` with
``document_type: ORDER``): received documents made from the sandbox's order samples, a sender
of ``registry.SENDERS`` as the buyer and the company as the seller, DELIVERED to it, with the
DOCUMENTS.ORDER.RECEIVED event, so that a recipient's CONFIRMED_DELIVERY has something to
confirm.
"""

import datetime
from datetime import timedelta

from django.db import transaction

from . import documents, einvoice, events, samples
from .exchange_schedule import rng
from .incoming import buyer_of
from .models import Company, Document, DocumentFile
from .registry import SENDERS
from .sample_rewrite import rewrite_order


def generate_orders(
    company: Company, *, count: int, since: datetime.datetime, until: datetime.datetime
) -> list[Document]:
    step = (until - since) / (count - 1) if count > 1 else timedelta(0)
    return [
        _one(company, (until if count == 1 else since + step * index).replace(microsecond=0))
        for index in range(count)
    ]


def _one(company: Company, at: datetime.datetime) -> Document:
    sender = rng.choice(SENDERS).who
    number = f"PO-{rng.randrange(100_000, 999_999)}"
    xml = rewrite_order(
        samples.read_sample(rng.choice(samples.ORDERS)),
        number=number,
        issued=at.date(),
        buyer=sender,
        seller=buyer_of(company),
    )
    info = einvoice.read_document(xml)
    with transaction.atomic():
        document = Document.objects.create(
            company=company,
            direction=Document.Direction.RECEIVED,
            type="ORDER",
            status=Document.Status.DELIVERED,
            number=number,
            source_format=info.detected.format if info else "",
            document_identifier=documents.document_identifier(info),
            process_identifier=info.detected.profile if info else "",
            network="PEPPOL",
            origin="EXTERNAL",
            sender_name=sender.name,
            sender_bid=sender.bid,
            sender_eia=sender.eia,
            sender_country=sender.country,
            sender_vat=sender.vat,
            recipient_name=company.name,
            recipient_bid=company.bid,
            recipient_eia=buyer_of(company).eia,
            recipient_country=company.country,
            created_at=at,
            received_at=at,
        )
        DocumentFile.objects.create(
            document=document,
            filename="order.xml",
            mimetype="application/xml",
            file_format=document.source_format,
            content=xml,
            created_at=at,
        )
        documents.add_event(document, Document.Status.DELIVERED, at, f"Received from {sender.name}")
        events.document_event(document, events.RECEIVED, at)
    return document
