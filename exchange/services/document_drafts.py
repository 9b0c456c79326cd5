"""A document staff upload is read and kept as a draft first: shown, then sent.

Maventa does no lookup for documents: "the recipient and the recipient operator must be
given (or parsed from a supported XML)" (API.md "Documents"). So the file is read here
(``document_reading``), what staff typed wins over what the file says, and whatever is still
missing is asked for before Maventa hears of the document: its type (FIELDS.md section 6,
DocType), the recipient's address, and the operator unless the address came from the file.
An invoice is refused with the way out (the invoice page reads, validates and looks it up).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from companies.access import ensure_can_exchange
from companies.models import Company
from exchange.files import store
from exchange.models import Attachment, Direction, Document
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import Refused

from .document_mirror import plain_name
from .document_reading import DocumentRead, read_document
from .drafts import MAX_ATTACHMENTS, Upload

IS_AN_INVOICE = (
    "This is {article} {kind} ({format}): send it from “Send an invoice”, where it is "
    "validated and its recipient looked up."
)
NEEDS_TYPE = "The portal cannot tell what this document is ({why}): choose its type."
NEEDS_RECIPIENT = (
    "The file names no recipient address: give the recipient's e-invoice address (EIA)."
)
NEEDS_OPERATOR = (
    "Maventa does no lookup for documents: give the recipient's operator, as the address "
    "does not come from the file."
)
TOO_MANY = f"At most {MAX_ATTACHMENTS} attachments go with one document."
INVOICE_TYPES = (Document.Type.INVOICE, Document.Type.CREDIT_NOTE)


@dataclass(frozen=True)
class DocumentOptions:
    """What staff may give for a send (FIELDS.md section 6, POST /v1/documents)."""

    type: str = ""
    recipient_eia: str = ""
    recipient_operator: str = ""
    recipient_name: str = ""
    recipient_country: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentOptions:
        return cls(**{name: str(data.get(name) or "") for name in cls.__dataclass_fields__})


@dataclass
class DocumentDraft:
    document: Document
    duplicates: list[Document] = field(default_factory=list)


def earlier_document_sends(company: Company, checksum: str, *, exclude: int | None = None):
    """The same file already sent (or being sent) by the company."""
    return (
        Document.objects.filter(company=company, direction=Direction.SENT, file_checksum=checksum)
        .exclude(status=Document.Status.DRAFT)
        .exclude(pk=exclude)
        .order_by("-sent_at")
    )


def prepare_document(
    *,
    company: Company,
    upload: Upload,
    options: DocumentOptions,
    attachments: list[Upload] | tuple[Upload, ...] = (),
    actor: Actor | None = None,
) -> DocumentDraft:
    """Reads and keeps the upload as a draft document of ``company``; nothing is sent."""
    asked = {"file": upload.name, "attachments": len(attachments), "options": options.as_dict()}
    with recording(actor, "document.prepare", target=Document, company=company, asked=asked) as rec:
        draft = _prepare(company, upload, options, attachments, actor)
        rec.target = draft.document
        return draft


def _prepare(company, upload, options, attachments, actor) -> DocumentDraft:
    ensure_can_exchange(company)
    if len(attachments) > MAX_ATTACHMENTS:
        raise Refused(TOO_MANY)
    read = read_document(upload.data)
    document = _draft(company, read, options)
    user = getattr(actor, "user", None)
    document.sent_by = user if getattr(user, "pk", None) else None
    document.file_checksum = store(document.file, plain_name(upload.name, "document"), upload.data)
    with transaction.atomic():
        document.save()
        for extra in attachments:
            attachment = Attachment(
                document=document, filename=plain_name(extra.name, "attachment")[:255]
            )
            attachment.checksum = store(attachment.file, attachment.filename, extra.data)
            attachment.size = len(extra.data)
            attachment.kind = "ATTACHMENT"
            attachment.save()
    duplicates = earlier_document_sends(company, document.file_checksum, exclude=document.pk)
    return DocumentDraft(document, list(duplicates[:5]))


def _draft(company: Company, read: DocumentRead, options: DocumentOptions) -> Document:
    """The draft row, or a refusal naming every field staff must still give."""
    detected = read.detected
    if detected is not None and detected.kind.value in INVOICE_TYPES:
        label = detected.kind.label
        raise Refused(
            IS_AN_INVOICE.format(
                article="an" if label[0] in "aeiou" else "a",
                kind=label,
                format=detected.format.label,
            )
        )
    kind = read.kind if read.kind != Document.Type.UNKNOWN else ""
    doc_type = options.type or kind
    eia = options.recipient_eia or read.recipient.eia
    from_file = bool(read.recipient.eia) and not options.recipient_eia
    operator = options.recipient_operator or (read.recipient.operator if from_file else "")
    missing = {}
    if not doc_type:
        why = read.unread or (f"{detected.format.label} <{detected.root}>" if detected else "")
        missing["type"] = NEEDS_TYPE.format(why=why or "an unknown kind")
    if not eia:
        missing["recipient_eia"] = NEEDS_RECIPIENT
    elif not operator and not from_file:
        missing["recipient_operator"] = NEEDS_OPERATOR
    if missing:
        raise Refused(missing)
    return Document(
        company=company,
        direction=Direction.SENT,
        status=Document.Status.DRAFT,
        status_changed_at=timezone.now(),
        type=doc_type,
        number=read.number[:100],
        source_format=detected.format.value if detected else "",
        sender_name=read.sender.name[:300],
        sender_bid=read.sender.bid[:64],
        sender_eia=read.sender.eia[:128],
        sender_country=read.sender.country[:2],
        recipient_name=(options.recipient_name or read.recipient.name)[:300],
        recipient_bid=read.recipient.bid[:64],
        recipient_eia=eia[:128],
        recipient_operator=operator[:64],
        recipient_country=(options.recipient_country or read.recipient.country)[:2],
        send_options={
            "given": options.as_dict(),
            "read": {
                "kind": read.kind,
                "format": detected.format.label if detected else "",
                "root": detected.root if detected else "",
                "unread": read.unread,
                "recipient_from_file": from_file,
            },
        },
    )
