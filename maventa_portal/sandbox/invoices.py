"""Invoice rows and their answer shape (``InvoicesHttpApiEntitiesInvoice``, FIELDS.md section 5).

Optional fields with no value are left out, never null: the schema marks no field nullable.
``fields`` (API.md "Invoices": "fields to limit the returned data") keeps the named top-level
fields, and always the four the schema requires (``source_format``, ``sum``, ``sum_tax``,
``currency``). A received invoice is DELIVERED: it reached its recipient.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from . import events
from .barcode import virtual_barcode
from .einvoice import EInvoice
from .models import Company, Invoice, InvoiceAction, InvoiceFile
from .responses import isoformat
from .uploads import Upload

REQUIRED_FIELDS = ("source_format", "sum", "sum_tax", "currency")


def find_invoice(company: Company, invoice_id: str) -> Invoice | None:
    try:
        pk = uuid.UUID(str(invoice_id))
    except ValueError:
        return None
    return company.invoices.filter(pk=pk).first()


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in ("", None)}


def as_invoice(invoice: Invoice, api_root: str, fields: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = _present(
        {
            "id": str(invoice.pk),
            "status": invoice.status,
            "reference": invoice.reference,
            "number": invoice.number,
            "received_at": invoice.received_at and isoformat(invoice.received_at),
            "created_at": isoformat(invoice.created_at),
            "date": invoice.date and invoice.date.isoformat(),
            "date_due": invoice.date_due and invoice.date_due.isoformat(),
            "source_format": invoice.source_format,
            "currency": invoice.currency,
            "origin": invoice.origin,
            "destination": invoice.destination,
            "comment": invoice.comment,
            "virtual_barcode": invoice.virtual_barcode,
        }
    )
    body["sum"] = float(invoice.sum)
    body["sum_tax"] = float(invoice.sum_tax)
    body["sender"] = _present(
        {
            "eia": invoice.sender_eia,
            "bid": invoice.sender_bid,
            "name": invoice.sender_name,
            "country": invoice.sender_country,
        }
    )
    body["recipient"] = _present(
        {
            "eia": invoice.recipient_eia,
            "bid": invoice.recipient_bid,
            "name": invoice.recipient_name,
            "country": invoice.recipient_country,
            "operator": invoice.recipient_operator,
        }
    )
    body["files"] = [as_file(invoice, f, api_root) for f in invoice.files.all()]
    body["actions"] = [as_action(action) for action in invoice.actions.all()]
    if invoice.revision is not None:
        body["revision"] = invoice.revision
    if fields:
        body = {k: v for k, v in body.items() if k in fields or k in REQUIRED_FIELDS}
    return body


def as_file(invoice: Invoice, file: InvoiceFile, api_root: str) -> dict[str, Any]:
    return {
        "id": str(file.pk),
        "filename": file.filename,
        # "File format" (FIELDS.md section 5): the invoice's format for its XML, else the kind.
        "type": invoice.source_format
        if file.role == InvoiceFile.Role.XML
        else file.filename.rpartition(".")[2].upper() or "FILE",
        "mimetype": file.mimetype,
        "href": f"{api_root}/v1/invoices/{invoice.pk}/files/{file.pk}",
    }


def as_action(action: InvoiceAction) -> dict[str, Any]:
    return _present(
        {
            "type": action.type,
            "channel": action.channel,
            "message": action.message,
            "happened_at": isoformat(action.happened_at),
        }
    )


def add_action(
    invoice: Invoice, type_: str, at: datetime, channel: str = "", message: str = ""
) -> InvoiceAction:
    return InvoiceAction.objects.create(
        invoice=invoice, type=type_, channel=channel, message=message[:500], happened_at=at
    )


def store_files(
    invoice: Invoice, xml: Upload, image: Upload | None, attachments: list[Upload], at: datetime
) -> None:
    rows = [(InvoiceFile.Role.XML, xml)]
    rows += [(InvoiceFile.Role.IMAGE, image)] if image else []
    rows += [(InvoiceFile.Role.ATTACHMENT, upload) for upload in attachments]
    InvoiceFile.objects.bulk_create(
        InvoiceFile(
            invoice=invoice,
            role=role,
            filename=upload.filename,
            mimetype=upload.mimetype,
            content=upload.content,
            position=position,
            created_at=at,
        )
        for position, (role, upload) in enumerate(rows)
    )


def parties_of(read: EInvoice) -> dict[str, str]:
    seller, buyer = read.seller, read.buyer
    return {
        "sender_name": seller.name,
        "sender_bid": seller.bid,
        "sender_eia": seller.eia,
        "sender_country": seller.country,
        "sender_vat": seller.vat,
        "sender_bank_account": seller.bank_account.replace(" ", ""),
        "recipient_name": buyer.name,
        "recipient_bid": buyer.bid,
        "recipient_eia": buyer.eia,
        "recipient_country": buyer.country,
    }


def barcode_of(invoice: Invoice) -> str:
    """FI domestic received invoices in euros carry the virtual bar code (FIELDS.md 5)."""
    domestic = invoice.sender_country in ("FI", "") and invoice.recipient_country in ("FI", "")
    if not domestic or invoice.currency != "EUR":
        return ""
    return virtual_barcode(
        invoice.sender_bank_account, Decimal(invoice.sum_tax), invoice.reference, invoice.date_due
    )


def receive_invoice(
    *,
    company: Company,
    read: EInvoice,
    files: tuple[Upload, Upload | None, list[Upload]],
    at: datetime,
    origin: str,
    network: str,
    source: Invoice | None = None,
) -> Invoice:
    """A RECEIVED invoice for ``company``, its files, a RECEIVED action and the event."""
    fields: dict[str, Any] = {
        "number": read.number,
        "reference": read.reference,
        "date": read.date,
        "date_due": read.date_due,
        "currency": read.currency,
        "sum": read.sum,
        "sum_tax": read.sum_tax,
        "source_format": read.detected.format,
        "kind": read.detected.kind,
        **parties_of(read),
    }
    if source is not None:
        fields |= {k: getattr(source, k) for k in ("recipient_eia", "recipient_operator")}
    with transaction.atomic():
        invoice = Invoice(
            company=company,
            direction=Invoice.Direction.RECEIVED,
            status=Invoice.Status.DELIVERED,
            origin=origin,
            network=network,
            received_at=at,
            created_at=at,
            source_invoice=source,
            **fields,
        )
        invoice.virtual_barcode = barcode_of(invoice)
        invoice.save()
        store_files(invoice, *files, at=at)
        channel = "SCAN" if origin == Invoice.Origin.SCAN else "EINVOICE"
        add_action(invoice, "RECEIVED", at, channel, f"Received from {network}")
        events.invoice_event(invoice, events.RECEIVED, at)
    return invoice
