"""Bytes to an XML tree, safely: the only place the sandbox parses an uploaded file.

lxml with no entity resolution, no DTD, no network and libxml2's own size limits; a file larger
than ``MAX_BYTES`` or declaring a DOCTYPE is refused before parsing. E-invoice formats never
carry a DOCTYPE, so refusing every one closes XXE and entity expansion at once.
"""

import re

from lxml import etree

# Maventa refuses larger invoice files; ten MB leaves room for base64 attachments in the XML.
MAX_BYTES = 10 * 1024 * 1024

NOT_XML = "The file is not well-formed XML: {detail}"
EMPTY = "The file is empty"
TOO_LARGE = f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB"
DOCTYPE = "The file declares a DOCTYPE or entities, which e-invoices never do: refused"

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SIGNATURES = ((b"%PDF", "a PDF"), (b"PK\x03\x04", "a ZIP archive"), (b"\x89PNG", "an image"))


class XmlRefused(Exception):
    """The file cannot be read as XML; ``str()`` says why, for the caller's 400."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def parse_xml(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise XmlRefused(TOO_LARGE)
    if not data.strip():
        raise XmlRefused(EMPTY)
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise XmlRefused(NOT_XML.format(detail=f"it is {what}"))
    # UTF-16 files hide the declaration from a byte scan; libxml2's refusal below catches them.
    if _DECLARATION.search(data) or _DECLARATION.search(data.replace(b"\x00", b"")):
        raise XmlRefused(DOCTYPE)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise XmlRefused(NOT_XML.format(detail=detail), exc.lineno) from exc
    if root.getroottree().docinfo.doctype:
        raise XmlRefused(DOCTYPE)
    return root


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers keep state and are not shared across threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
