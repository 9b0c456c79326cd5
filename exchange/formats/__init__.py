"""Reading e-invoices locally: which format a file is, and what its invoice says.

``detect(data)`` names the format (as Maventa spells it) and the kind of document;
``parse(data)`` reads an invoice or a credit note into an ``InvoiceSummary``. Both take the
file's bytes, parse them with ``safe_xml`` (size limit, no DOCTYPE, no entities, no network)
and raise an ``InvoiceFileError`` whose ``staff_message`` says why a file was refused; an
order or another document of a known format raises ``NotAnInvoice``, which carries what was
detected so that a caller can route it as a document instead.

A new format is a module with ``detect(root) -> DetectedFormat | None`` (None: not this
format's root element) and ``parse(root, detected) -> InvoiceSummary``, added to ``_READERS``.
"""

from __future__ import annotations

from types import ModuleType

from lxml import etree

from exchange.formats import errors, finvoice, teappsxml, ubl
from exchange.formats.errors import (
    FileTooLarge,
    InvalidValue,
    InvoiceFileError,
    NotAnInvoice,
    NotXml,
    UnknownFormat,
    UnsafeXml,
)
from exchange.formats.safe_xml import MAX_DOCUMENT_BYTES, parse_xml
from exchange.formats.summary import (
    DetectedFormat,
    DocumentKind,
    ElectronicAddress,
    InvoiceFormat,
    InvoiceSummary,
    Line,
    Party,
    Payment,
    PostalAddress,
    Totals,
    VatBreakdown,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "DetectedFormat",
    "DocumentKind",
    "ElectronicAddress",
    "FileTooLarge",
    "InvalidValue",
    "InvoiceFileError",
    "InvoiceFormat",
    "InvoiceSummary",
    "Line",
    "NotAnInvoice",
    "NotXml",
    "Party",
    "Payment",
    "PostalAddress",
    "Totals",
    "UnknownFormat",
    "UnsafeXml",
    "VatBreakdown",
    "detect",
    "parse",
]

_READERS: tuple[ModuleType, ...] = (ubl, finvoice, teappsxml)


def detect(data: bytes) -> DetectedFormat:
    """The format and document kind of ``data``; refuses what is not a known format."""
    return _detect(parse_xml(data))[0]


def parse(data: bytes) -> InvoiceSummary:
    """The invoice or credit note in ``data``; refuses other documents with ``NotAnInvoice``."""
    root = parse_xml(data)
    detected, reader = _detect(root)
    if not detected.is_invoice:
        raise NotAnInvoice(_not_an_invoice(detected), detected=detected)
    return reader.parse(root, detected)


def _detect(root: etree._Element) -> tuple[DetectedFormat, ModuleType]:
    for reader in _READERS:
        if (detected := reader.detect(root)) is not None:
            return detected, reader
    raise UnknownFormat(errors.UNKNOWN_FORMAT.format(root=etree.QName(root).localname))


def _not_an_invoice(detected: DetectedFormat) -> str:
    if detected.kind is DocumentKind.UNKNOWN:
        return errors.UNKNOWN_KIND.format(
            format=detected.format.label, code=detected.type_code or detected.root
        )
    label = detected.kind.label
    return errors.NOT_AN_INVOICE.format(
        article="an" if label[0] in "aeiou" else "a",
        kind=label,
        format=f"{detected.format.label}, {detected.root}",
    )
