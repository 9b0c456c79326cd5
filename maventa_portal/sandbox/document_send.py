"""``POST /v1/documents``: the multipart fields of a document send, checked; the document made.

Fields (FIELDS.md section 6): ``file``, or ``files[n][file]`` with ``files[n][file_type]``
(PRIMARY_FILE, ATTACHMENT, OTHER); ``references[n][...]`` reusing a file of an earlier
document of the company (``reference_id_type=document_id``; external storage keys are not
imitated and answer 400); ``type`` (DocType; else read from the file, else UNKNOWN);
``transmission_id`` (unique for the company: 422 ``document_duplicate_transmission_id``),
``transmission_at``, ``external_id``, ``recipient_*`` and ``sender_*``.

"No automatic lookup ... both the recipient and the operator need to be specified ... recipient
information is also parsed from supported XML" (API.md "Documents"): the recipient's address
comes from ``recipient_eia`` or the file, and the operator must be given unless the address
is one the sandbox knows. A recipient that does not receive the document's type makes the
delivery fail, as its access point would refuse it.
"""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from . import delivery, directory, documents, einvoice, params, uploads
from .models import Company, Document, DocumentFile
from .responses import BadRequest

DOC_TYPES = (
    "UNKNOWN",
    "INVOICE",
    "CREDIT_NOTE",
    "ORDER",
    "ORDER_RESPONSE",
    "CATALOGUE",
    "CATALOGUE_RESPONSE",
    "SELF_BILLING_INVOICE",
    "DESPATCH_ADVICE",
    "RECEIPT",
    "VOUCHER",
    "BANK_FILE",
    "REMINDER",
    "SCAN",
    "INVOICE_RESPONSE",
    "MESSAGE_LEVEL_RESPONSE",
    "EXPRESSION_OF_INTEREST_REQUEST",
    "EXPRESSION_OF_INTEREST_RESPONSE",
    "TENDER_STATUS_REQUEST",
    "CALL_FOR_TENDERS",
    "TENDER",
    "TENDER_RECEIPT",
)
FILE_TYPES = tuple(DocumentFile.Type.values)
_INDEXED = re.compile(r"^(files|references)\[(\d{1,3})\]\[(\w+)\]$")
DUPLICATE = "The provided transmission_id is already in use"
NO_OPERATOR = "recipient_operator is missing: the recipient {eia} is not known without it"
NOT_RECEIVING = "The recipient {eia} does not receive {type} documents"
UNKNOWN_OPERATOR = "Unknown recipient operator {operator}"
PARTY = ("name", "country", "eia")
# What a file the sandbox cannot read says of itself: nothing (documents are sent as they come).
UNREAD = einvoice.DocumentInfo(einvoice.Detected(format="", kind="UNKNOWN", root=""))
Status = Document.Status


class DuplicateTransmission(Exception):
    pass


@dataclass(frozen=True)
class NewFile:
    upload: uploads.Upload
    type: str


def _files(data: QueryDict, files: MultiValueDict, company: Company, problems: list[str]):
    found: list[NewFile] = []
    if "file" in files:
        found.append(NewFile(uploads.read(files["file"], "file"), DocumentFile.Type.PRIMARY_FILE))
    indexed: dict[tuple[str, int], dict[str, object]] = {}
    for key in list(files) + list(data):
        match = _INDEXED.match(key)
        if match:
            entry = indexed.setdefault((match[1], int(match[2])), {})
            entry[match[3]] = files[key] if key in files else data.get(key, "")
    for (kind, index), entry in sorted(indexed.items()):
        file_type = str(entry.get("file_type") or "")
        if file_type and file_type not in FILE_TYPES:
            problems.append(f"{kind}[{index}][file_type] must be one of {', '.join(FILE_TYPES)}")
            continue
        if kind == "files" and "file" in entry:
            upload = uploads.read(entry["file"], f"files[{index}][file]")
            found.append(NewFile(upload, file_type or _default_type(found)))
        elif kind == "references":
            found += _reference(entry, index, company, file_type, problems)
    return found


def _default_type(found: list[NewFile]) -> str:
    primary = any(f.type == DocumentFile.Type.PRIMARY_FILE for f in found)
    return DocumentFile.Type.ATTACHMENT if primary else DocumentFile.Type.PRIMARY_FILE


def _reference(entry, index: int, company: Company, file_type: str, problems: list[str]):
    where = f"references[{index}]"
    if entry.get("reference_id_type", "document_id") != "document_id":
        problems.append(f"{where}: only document_id references are imitated by the sandbox")
        return []
    source = documents.find_document(company, str(entry.get("reference_id") or ""))
    primary = source and source.files.filter(type=DocumentFile.Type.PRIMARY_FILE).first()
    if not primary:
        problems.append(f"{where}: no document {entry.get('reference_id')!r} of this company")
        return []
    upload = uploads.Upload(primary.filename, bytes(primary.content), primary.mimetype)
    return [NewFile(upload, file_type or DocumentFile.Type.ATTACHMENT)]


def parse_send(data: QueryDict, files: MultiValueDict, company: Company):
    problems: list[str] = []
    found = _files(data, files, company, problems)
    if not found and not problems:
        problems.append("file is missing (give file or files[0][file])")
    doc_type = data.get("type", "").strip()
    if doc_type and doc_type not in DOC_TYPES:
        problems.append(f"type must be one of {', '.join(DOC_TYPES)}")
    fields = {name: data.get(name, "").strip() for name in ("transmission_id", "external_id")}
    for side in ("recipient", "sender"):
        fields |= {f"{side}_{n}": data.get(f"{side}_{n}", "").strip() for n in PARTY}
    fields["recipient_operator"] = data.get("recipient_operator", "").strip()
    _check_lengths(fields, problems)
    transmission_at = params.parse_moment(
        data.get("transmission_at", ""), "transmission_at", problems
    )
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return found, doc_type, fields, transmission_at


def _check_lengths(fields: dict[str, str], problems: list[str]) -> None:
    """What the rows hold, refused as Maventa refuses it rather than failing to store it."""
    for side in ("recipient", "sender"):
        country = fields.get(f"{side}_country", "")
        if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
            problems.append(f"{side}_country must be a two-letter country code (FI)")
    for name, value in fields.items():
        limit = getattr(Document._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit and not name.endswith("_country"):
            problems.append(f"{name} is longer than {limit} characters")


@dataclass(frozen=True)
class Recipient:
    eia: str
    operator: str
    receiver: directory.Participant | None  # takes documents of this type at this address
    known: directory.Participant | None  # anyone at this address
    failure: str  # why the delivery will fail; "" when it will not


def _recipient(fields: dict, info: einvoice.DocumentInfo, doc_type: str) -> Recipient:
    eia = fields["recipient_eia"] or info.recipient.eia
    if not eia:
        raise BadRequest("Invalid parameters", ["recipient_eia is missing (nor in the file)"])
    eia = directory.normalise(eia)
    receiver = directory.find_receiver(eia, doc_type)
    at_address = (
        p
        for p in directory.all_participants()
        if directory.identifier(p.eia) == directory.identifier(eia)
    )
    known = receiver or next(at_address, None)
    operator = fields["recipient_operator"] or (known.operator if known else "")
    if not operator:
        raise BadRequest("Invalid parameters", [NO_OPERATOR.format(eia=eia)])
    failure = ""
    if known is not None and receiver is None:
        failure = NOT_RECEIVING.format(eia=eia, type=doc_type)
    elif known is None and operator not in directory.OPERATOR_IDS:
        failure = UNKNOWN_OPERATOR.format(operator=operator)
    return Recipient(eia, operator, receiver, known, failure)


def _new_document(
    company: Company, info: einvoice.DocumentInfo, doc_type: str, fields: dict, to: Recipient
) -> Document:
    """The document as sent: what the fields give, else the file, else the company."""
    known = to.known
    return Document(
        company=company,
        direction=Document.Direction.SENT,
        type=doc_type,
        number=info.number,
        source_format=info.detected.format,
        document_identifier=documents.document_identifier(info),
        process_identifier=info.detected.profile,
        transmission_id=fields["transmission_id"],
        external_id=fields["external_id"],
        network=to.receiver.network if to.receiver else "",
        sender_name=fields["sender_name"] or company.name,
        sender_country=fields["sender_country"] or company.country,
        sender_eia=fields["sender_eia"] or info.sender.eia or company.eia,
        sender_bid=company.bid,
        sender_vat=company.vat,
        recipient_name=fields["recipient_name"] or (known.name if known else info.recipient.name),
        recipient_country=fields["recipient_country"] or (known.country if known else ""),
        recipient_bid=known.bid if known else info.recipient.bid,
        recipient_eia=to.eia,
        recipient_operator=to.operator,
    )


def send_document(
    *, company: Company, found: list[NewFile], doc_type: str, fields: dict, transmission_at
) -> Document:
    primary = next((f for f in found if f.type == DocumentFile.Type.PRIMARY_FILE), found[0])
    info = einvoice.read_document(primary.upload.content) or UNREAD
    doc_type = doc_type or info.detected.kind
    to = _recipient(fields, info, doc_type)
    duplicate = company.documents.filter(transmission_id=fields["transmission_id"])
    if fields["transmission_id"] and duplicate.exists():
        raise DuplicateTransmission(DUPLICATE)
    now = timezone.now()
    document = _new_document(company, info, doc_type, fields, to)
    document.transmission_at, document.created_at = transmission_at, now
    delivery.plan_document(document, to.failure, now)
    try:
        with transaction.atomic():
            document.save()
            _store(document, found, now)
            documents.add_event(document, Status.PROCESSING, now, "Document received for sending")
    except IntegrityError as exc:
        raise DuplicateTransmission(DUPLICATE) from exc
    return document


def _store(document: Document, found: list[NewFile], at) -> None:
    for position, new in enumerate(found):
        info = einvoice.read_document(new.upload.content) if new.type == "PRIMARY_FILE" else None
        DocumentFile.objects.create(
            document=document,
            type=new.type,
            filename=new.upload.filename,
            mimetype=new.upload.mimetype,
            file_format=info.detected.format if info else "",
            format_version=(info.detected.format[-2:] if info and info.detected.format else ""),
            content=new.upload.content,
            position=position,
            created_at=at,
        )
