"""One received invoice of Maventa's list, stored once with its files (FIELDS.md section 5).

New to the portal (or known without its XML, as a webhook may leave it): every file is
downloaded first, then stored in one short transaction, so no transaction waits on Maventa:

- the XML: the file as the sender sent it (the file of the invoice's ``source_format``), or,
  when the company chose one, Maventa's conversion to its ``return_format``;
- the PDF image: ``ORIGINAL_OR_GENERATED_IMAGE`` (the PDF that came with the invoice, else one
  Maventa draws); 404 means none;
- every other file as an attachment (a file that is the image again, by name or by checksum,
  is not).

The XML is read locally (``exchange.formats``) for the summary; a file the portal cannot read
is noted on the invoice (``error``), never fatal. A known invoice is mirrored again (source
POLL) only when a field Maventa gave differs from what is kept.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from companies.access import company_api
from companies.models import Company
from exchange import formats
from exchange.files import checksum, store
from exchange.models import Attachment, Direction, Invoice, ReceiveWatermark, Source
from exchange.summaries import summary_to_json
from maventa_portal.maventa_api import Api, Download, NotFound
from maventa_portal.maventa_api.ax import invoices as ax_invoices

from .mirror import apply_remote

log = logging.getLogger(__name__)

NEW, UPDATED, UNCHANGED, SKIPPED = "new", "updated", "unchanged", "skipped"
IMAGE = "ORIGINAL_OR_GENERATED_IMAGE"
XML_RETURN_FORMATS = tuple(ReceiveWatermark.ReturnFormat.values[1:])
UNREADABLE = "The portal could not read the XML: {reason}"
NO_XML = "Maventa gave no XML file for this invoice."


@dataclass
class Fetched:
    """A new invoice's files, downloaded before anything is stored."""

    xml: Download | None = None
    image: Download | None = None
    attachments: list[tuple[ax_invoices.InvoiceFile, Download]] = field(default_factory=list)


def known_invoices(remotes) -> dict[str, Invoice]:
    """The portal's rows of a page of Maventa's list, by the id as listed (one query a page)."""
    listed: dict[uuid.UUID, str] = {}
    for remote in remotes:
        with contextlib.suppress(ValueError):
            listed[uuid.UUID(remote.id)] = remote.id
    rows = Invoice.objects.filter(maventa_id__in=list(listed))
    return {listed[row.maventa_id]: row for row in rows}


def upsert_received(
    api: Api,
    *,
    company: Company,
    remote: ax_invoices.Invoice,
    invoice: Invoice | None,
    return_format: str = "",
) -> str:
    """Stores one invoice of Maventa's list (``invoice``: the portal's row of it, if any):
    ``NEW`` (with its files), ``UPDATED`` (Maventa said something new), ``UNCHANGED``, or
    ``SKIPPED`` (no usable id, or another company's)."""
    try:
        maventa_id = uuid.UUID(remote.id)
    except ValueError:
        log.warning("Maventa listed a received invoice without a valid id: %r", remote.id)
        return SKIPPED
    if invoice is not None and invoice.company_id != company.pk:
        log.warning("Invoice %s is another company's in the portal; left alone", maventa_id)
        return SKIPPED
    # Known with its files (an invoice has at least an image, ORIGINAL_OR_GENERATED); a row
    # without any (a webhook's) still needs them.
    if invoice is not None and (invoice.xml or invoice.image):
        if _same(invoice.raw, remote.raw):
            return UNCHANGED
        apply_remote(invoice, remote, source=Source.POLL)
        return UPDATED
    if not remote.files:
        # A list answer may leave the files out (all fields are optional, FIELDS.md 5).
        remote = ax_invoices.get_invoice(api, invoice_id=remote.id)
    fetched = _fetch(api, remote, return_format)
    try:
        _store_new(company, invoice, remote, fetched)
    except IntegrityError:
        # A sync of the same company running at once stored it first.
        return UNCHANGED
    return NEW


def _same(known: dict, answer: dict) -> bool:
    """Whether Maventa says nothing new: every field it gave is as it was."""
    return all(known.get(name) == value for name, value in answer.items())


def _fetch(api: Api, remote: ax_invoices.Invoice, return_format: str) -> Fetched:
    fetched = Fetched()
    xml_file = _xml_file(remote)
    if return_format:
        fetched.xml = ax_invoices.download_invoice(
            api, invoice_id=remote.id, return_format=return_format
        )
    elif xml_file is not None:
        fetched.xml = ax_invoices.download_file(api, invoice_id=remote.id, file_id=xml_file.id)
    elif remote.source_format in XML_RETURN_FORMATS:
        fetched.xml = ax_invoices.download_invoice(
            api, invoice_id=remote.id, return_format=remote.source_format
        )
    with contextlib.suppress(NotFound):  # 404: the invoice has no image
        fetched.image = ax_invoices.download_invoice(api, invoice_id=remote.id, return_format=IMAGE)
    image_sum = checksum(fetched.image.content) if fetched.image else ""
    image_name = fetched.image.filename if fetched.image else None
    for file in remote.files:
        if file is xml_file or (image_name and file.filename == image_name):
            continue  # the primary XML and PDF are the invoice's own fields
        download = ax_invoices.download_file(api, invoice_id=remote.id, file_id=file.id)
        if image_sum and checksum(download.content) == image_sum:
            continue
        fetched.attachments.append((file, download))
    return fetched


def _xml_file(remote: ax_invoices.Invoice) -> ax_invoices.InvoiceFile | None:
    """The invoice's own XML among its files: of its source format, else the first XML."""
    for file in remote.files:
        if file.type and file.type == remote.source_format:
            return file
    for file in remote.files:
        if "xml" in file.mimetype.lower() or file.filename.lower().endswith(".xml"):
            return file
    return None


def _store_new(
    company: Company, invoice: Invoice | None, remote: ax_invoices.Invoice, fetched: Fetched
) -> Invoice:
    summary, note = _summary(fetched.xml)
    name = remote.number or remote.id
    # A row known before (a webhook's) may hold some of the files already.
    kept = set(invoice.attachments.values_list("maventa_file_id", flat=True)) if invoice else set()
    with transaction.atomic():
        invoice = invoice or Invoice(company=company, direction=Direction.RECEIVED)
        if fetched.xml is not None:
            xml_name = fetched.xml.filename or f"{name}.xml"
            invoice.xml_checksum = store(invoice.xml, xml_name, fetched.xml.content)
        if fetched.image is not None:
            store(invoice.image, fetched.image.filename or f"{name}.pdf", fetched.image.content)
        invoice.summary, invoice.error = summary, note
        apply_remote(invoice, remote, source=Source.POLL)
        for file, download in fetched.attachments:
            if file.id in kept:
                continue
            filename = file.filename or download.filename or "attachment"
            attachment = Attachment(
                invoice=invoice,
                maventa_file_id=file.id[:100],
                filename=filename[:255],
                mimetype=(file.mimetype or download.content_type)[:100],
                kind=file.type[:32],
                size=download.size,
            )
            attachment.checksum = store(attachment.file, filename, download.content)
            attachment.save()
    return invoice


def _summary(xml: Download | None) -> tuple[dict, str]:
    """The summary read from the XML, or why there is none (a note, never a failure)."""
    if xml is None:
        return {}, NO_XML
    try:
        return summary_to_json(formats.parse(xml.content)), ""
    except formats.InvoiceFileError as exc:
        return {}, UNREADABLE.format(reason=exc.staff_message)
    except Exception as exc:
        log.exception("Reading a received invoice's XML failed unexpectedly")
        return {}, UNREADABLE.format(reason=type(exc).__name__)


def fetch_one(company: Company, invoice_id: str) -> str:
    """One received invoice fetched now (told of by a feed or a webhook): the upsert's outcome."""
    api = company_api(company, scope=ax_invoices.SCOPE)
    remote = ax_invoices.get_invoice(api, invoice_id=invoice_id)
    known = known_invoices([remote]).get(remote.id)
    mark = ReceiveWatermark.objects.filter(company=company).first()
    return upsert_received(
        api,
        company=company,
        remote=remote,
        invoice=known,
        return_format=mark.return_format if mark else "",
    )
