"""The only place e-invoice bytes become an XML tree.

Decision: lxml with a parser that resolves no entities, loads no DTD and reaches no network,
keeps libxml2's limits on depth and text size (``huge_tree=False``), and a file is refused
before parsing when it is larger than ``MAX_DOCUMENT_BYTES`` or declares a DOCTYPE. E-invoice
formats (UBL, Finvoice, TEAPPSXML) never carry a DOCTYPE, so refusing every one closes XXE,
external DTDs and entity expansion ("billion laughs") at once, with a message that says so.
That is what defusedxml would add on top of the standard library; with lxml configured here
it is not needed. Any other use of XML on uploaded files should call ``parse_xml``.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from exchange.formats import errors

# The largest e-invoice (attachments included, base64 in the XML) Maventa users send is a few
# MB; ten leaves room and bounds the memory a parse takes.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SOURCE_SUFFIX = re.compile(r"\s*\(<string>, line \d+\)$")

# Files staff pick by mistake, named so that the message helps them choose the right one.
_SIGNATURES = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (unpack it and choose the invoice XML)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def parse_xml(data: bytes) -> etree._Element:
    """The root element of ``data``, or an ``InvoiceFileError`` saying why not."""
    check_size(data)
    if not data.strip():
        raise errors.NotXml(errors.EMPTY_FILE)
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise errors.NotXml(errors.NOT_XML_KNOWN.format(what=what))
    if _DECLARATION.search(_as_text(data)):
        raise errors.UnsafeXml(errors.DOCTYPE_REFUSED)
    try:
        root = etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError as exc:
        # libxml2 stops entity declarations on its own; say so rather than "malformed".
        if "entit" in str(exc).lower():
            raise errors.UnsafeXml(errors.DOCTYPE_REFUSED) from exc
        raise errors.NotXml(errors.NOT_XML.format(detail=_first_line(exc))) from exc
    # A DOCTYPE in an encoding the text scan above did not decode still ends here.
    if root.getroottree().docinfo.doctype:
        raise errors.UnsafeXml(errors.DOCTYPE_REFUSED)
    return root


def check_size(data: bytes) -> None:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise errors.FileTooLarge(
            errors.FILE_TOO_LARGE.format(
                size_mb=len(data) / (1024 * 1024), limit_mb=MAX_DOCUMENT_BYTES // (1024 * 1024)
            )
        )


def make_parser() -> etree.XMLParser:
    """The parser ``parse_xml`` uses: no entities, no DTD, no network, libxml2's limits.

    A new one per document, as lxml parsers keep state and are not shared across threads.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _as_text(data: bytes) -> str:
    """The file as text for the DOCTYPE scan; wide encodings decoded, the rest as Latin-1.

    Every encoding an e-invoice uses besides UTF-16/32 writes ``<!DOCTYPE`` as ASCII, which
    Latin-1 decodes byte for byte.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if data[:4] in (b"<\x00?\x00", b"<\x00!\x00"):
        return data.decode("utf-16-le", errors="replace")
    if data[:4] in (b"\x00<\x00?", b"\x00<\x00!"):
        return data.decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


def _first_line(exc: etree.XMLSyntaxError) -> str:
    return _SOURCE_SUFFIX.sub("", str(exc).splitlines()[0])
