"""Reading e-invoices and documents inside the sandbox, as Maventa reads what it is sent.

The sandbox imports nothing of the portal (its ``exchange.formats`` included), so it has its own
small reader: enough to fill an invoice's number, sums, currency, dates and parties, and a
document's number and parties. Files are parsed by ``safe.parse_xml`` only (no DTD, no
entities, no network, a size limit). ``Refused`` carries the 400 message for the caller.

A format is a module with ``detect(root) -> Detected | None``, ``read(root, detected) ->
EInvoice`` and ``read_document(root, detected) -> DocumentInfo``, listed in ``_READERS``.
"""

from lxml import etree

from . import finvoice, teapps, ubl
from .model import INVOICE_KINDS, Detected, DocumentInfo, EInvoice, Party
from .safe import MAX_BYTES, XmlRefused, parse_xml
from .values import Unreadable

__all__ = [
    "INVOICE_KINDS",
    "MAX_BYTES",
    "Detected",
    "DocumentInfo",
    "EInvoice",
    "Party",
    "Refused",
    "detect",
    "detect_root",
    "read_document",
    "read_invoice",
]

_READERS = (ubl, finvoice, teapps)

UNKNOWN_FORMAT = (
    "The file is not an e-invoice format Maventa reads here (root element {root}): send "
    "Finvoice, Peppol BIS 3.0 / EHF, or TEAPPSXML"
)
UNKNOWN_VERSION = "The {root} file names no version or specification Maventa reads: {value!r}"
NOT_AN_INVOICE = "The file is not an invoice but {kind} ({format}): send it with POST /v1/documents"


class Refused(Exception):
    """The file cannot be taken as what was asked; ``str()`` is the 400 message."""


def detect(data: bytes) -> tuple[etree._Element, Detected]:
    try:
        root = parse_xml(data)
    except XmlRefused as exc:
        raise Refused(str(exc)) from exc
    found = detect_root(root)
    if found is not None:
        return root, found
    raise Refused(UNKNOWN_FORMAT.format(root=etree.QName(root).localname))


def detect_root(root: etree._Element) -> Detected | None:
    """What ``root`` is, or None when no reader knows it."""
    return next((found for r in _READERS if (found := r.detect(root)) is not None), None)


def read_invoice(data: bytes) -> EInvoice:
    root, found = detect(data)
    if not found.format:
        raise Refused(
            UNKNOWN_VERSION.format(root=found.root, value=found.customization or found.version)
        )
    if not found.is_invoice:
        kind = found.kind.replace("_", " ").lower()
        raise Refused(NOT_AN_INVOICE.format(kind=f"a document of type {kind}", format=found.format))
    try:
        return _reader(found).read(root, found)
    except Unreadable as exc:
        raise Refused(str(exc)) from exc


def read_document(data: bytes) -> DocumentInfo | None:
    """What a document file says of itself; None when it is no XML format read here (documents
    are sent as they come: Maventa converts nothing, API.md "Documents")."""
    try:
        root, found = detect(data)
        return _reader(found).read_document(root, found)
    except (Refused, Unreadable):
        return None


def _reader(found: Detected):
    return {"Finvoice": finvoice, "INVOICE_CENTER": teapps}.get(found.root, ubl)
