"""``POST /v1/invoices``: the multipart fields of a send, checked; the sent invoice, created.

Fields (FIELDS.md section 5): ``file`` (required: the XML, or a ZIP of ``invoice.xml``,
``invoice.pdf`` and attachments), ``format``, ``recipient_eia``, ``recipient_email``,
``recipient_operator``, ``disabled_routes`` (``[]`` or the plain name repeated),
``sender_comment``, ``uuid``, ``lang``, ``recipient_type`` and the B2C fields (accepted,
unused). Unknown fields are ignored, as Grape ignores them.

The file is read by the sandbox's reader: a file that is not an invoice, or whose format is not
the ``format`` given, answers 400. Formats the reader does not know (VISMAXML, SEDI, ...) are
refused too: the sandbox cannot tell their content, which is a limit of the imitation.
``uuid`` becomes the invoice's id (FIELDS.md: "own invoice UUID; generated if absent"), so that
a sender who lost the answer finds the invoice again with GET /v1/invoices/{uuid}; a second send
with a uuid already used answers 400 ``invoice_duplicate_uuid`` (the operation documents no
error of its own; Maventa's generic 400 is "bad input").
"""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from . import delivery, directory, einvoice, invoices, routing, uploads
from .models import Company, Invoice
from .responses import BadRequest

FORMATS = (
    "VISMAXML53",
    "VISMAXML60",
    "SVEFAKTURA10",
    "SEDI",
    "E2B",
    "EHF20",
    "PEPPOLBIS20",
    "PEPPOLBIS30",
    "SIUBL11",
    "SIUBL12",
    "SIUBL20",
    "OIOUBL",
    "VISMAUBL10",
    "VISMAUBL30",
    "FINVOICE13",
    "FINVOICE20",
    "FINVOICE30",
    "TEAPPS27",
    "TEAPPS30",
)
READ_HERE = (
    "FINVOICE13",
    "FINVOICE20",
    "FINVOICE30",
    "PEPPOLBIS20",
    "PEPPOLBIS30",
    "EHF20",
    "TEAPPS27",
    "TEAPPS30",
)
LANGS = ("FI", "SE", "NO", "DK", "NL", "EN")
RECIPIENT_TYPES = ("b2b", "consumer")
ROUTE_ORDER = (
    "netbank",
    "netbank_cvl",
    "netbank_cvl_hold",
    "vipps",
    "dpi",
    "email",
    "print",
    "silent_failure",
)

DUPLICATE_UUID = "An invoice with uuid {uuid} has already been sent"
WRONG_FORMAT = "The file is {found}, not {given}"
NOT_READ_HERE = "The sandbox reads {formats} files only; {given} cannot be imitated"


class DuplicateUuid(Exception):
    pass


@dataclass(frozen=True)
class SendRequest:
    format: str
    recipient_eia: str
    recipient_email: str
    recipient_operator: str
    disabled_routes: list[str]
    sender_comment: str
    uuid: uuid.UUID | None
    lang: str


def parse_send(data: QueryDict, files: MultiValueDict) -> tuple[SendRequest, uploads.Upload]:
    problems: list[str] = []
    if "file" not in files:
        problems.append("file is missing")
    fmt = data.get("format", "").strip()
    if fmt and fmt not in FORMATS:
        problems.append(f"format must be one of {', '.join(FORMATS)}")
    disabled = uploads.values(data, "disabled_routes")
    problems += [
        f"disabled_routes: {route!r} is not one of {', '.join(routing.ROUTES)}"
        for route in disabled
        if route not in routing.ROUTES
    ]
    for name, allowed in (("lang", LANGS), ("recipient_type", RECIPIENT_TYPES)):
        if data.get(name) and data[name] not in allowed:
            problems.append(f"{name} must be one of {', '.join(allowed)}")
    problems += [
        f"route_order: {route!r} is not one of {', '.join(ROUTE_ORDER)}"
        for route in uploads.values(data, "route_order")
        if route not in ROUTE_ORDER
    ]
    own_uuid = None
    if data.get("uuid"):
        try:
            own_uuid = uuid.UUID(data["uuid"].strip())
        except ValueError:
            problems.append("uuid is not a UUID")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    request = SendRequest(
        format=fmt,
        recipient_eia=data.get("recipient_eia", "").strip(),
        recipient_email=data.get("recipient_email", "").strip(),
        recipient_operator=data.get("recipient_operator", "").strip(),
        disabled_routes=disabled,
        sender_comment=data.get("sender_comment", ""),
        uuid=own_uuid,
        lang=data.get("lang", ""),
    )
    return request, uploads.read(files["file"], "file")


def read_upload(upload: uploads.Upload, given_format: str):
    """``(what the XML says, (xml, image, attachments))``; BadRequest for what is refused."""
    parts = uploads.unzip_invoice(upload) if uploads.is_zip(upload) else (upload, None, [])
    if given_format and given_format not in READ_HERE:
        raise BadRequest(NOT_READ_HERE.format(formats=", ".join(READ_HERE), given=given_format))
    try:
        read = einvoice.read_invoice(parts[0].content)
    except einvoice.Refused as exc:
        raise BadRequest(str(exc)) from exc
    if given_format and given_format != read.detected.format:
        raise BadRequest(WRONG_FORMAT.format(found=read.detected.format, given=given_format))
    return read, parts


def _new_invoice(company: Company, read, request: SendRequest) -> Invoice:
    invoice = Invoice(
        id=request.uuid or uuid.uuid4(),
        company=company,
        direction=Invoice.Direction.SENT,
        number=read.number,
        reference=read.reference,
        date=read.date,
        date_due=read.date_due,
        currency=read.currency,
        sum=read.sum,
        sum_tax=read.sum_tax,
        source_format=read.detected.format,
        kind=read.detected.kind,
        recipient_email=request.recipient_email,
        disabled_routes=request.disabled_routes,
        sender_comment=request.sender_comment,
        lang=request.lang,
        **invoices.parties_of(read),
    )
    _address(invoice, company, request)
    return invoice


def _route(invoice: Invoice, company: Company, request: SendRequest) -> routing.Route:
    """The route, and what the recipient found there tells of itself where the XML did not."""
    route = routing.route_invoice(
        eia=invoice.recipient_eia,
        operator=request.recipient_operator,
        email=request.recipient_email,
        country=invoice.recipient_country or company.country,
        disabled=request.disabled_routes,
    )
    if route.receiver is not None:
        invoice.recipient_operator = invoice.recipient_operator or route.receiver.operator
        invoice.recipient_name = invoice.recipient_name or route.receiver.name
        invoice.recipient_bid = invoice.recipient_bid or route.receiver.bid
    return route


def send_invoice(*, company: Company, request: SendRequest, upload: uploads.Upload) -> Invoice:
    read, (xml, image, attachments) = read_upload(upload, request.format)
    if request.uuid and Invoice.objects.filter(pk=request.uuid).exists():
        raise DuplicateUuid(DUPLICATE_UUID.format(uuid=request.uuid))
    invoice = _new_invoice(company, read, request)
    now = timezone.now()
    invoice.created_at = invoice.received_at = now  # received: when Maventa got it
    delivery.plan_invoice(invoice, _route(invoice, company, request), now)
    try:
        with transaction.atomic():
            invoice.save(force_insert=True)
            invoices.store_files(invoice, xml, image, attachments, at=now)
            invoices.add_action(invoice, "CREATED", now)
    except IntegrityError as exc:
        # Two sends with one uuid raced past the check above: the primary key decides.
        raise DuplicateUuid(DUPLICATE_UUID.format(uuid=request.uuid)) from exc
    return invoice


def _address(invoice: Invoice, company: Company, request: SendRequest) -> None:
    """The sender is the company where the XML leaves it out; the recipient's address and
    operator are the parameters' where given, else the XML's."""
    invoice.sender_name = invoice.sender_name or company.name
    invoice.sender_bid = invoice.sender_bid or company.bid
    invoice.sender_country = invoice.sender_country or company.country
    invoice.sender_eia = invoice.sender_eia or company.eia
    eia = request.recipient_eia or invoice.recipient_eia
    invoice.recipient_eia = directory.normalise(eia) if eia else ""
    invoice.recipient_operator = request.recipient_operator
