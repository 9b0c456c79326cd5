"""Hostile and wrong files are refused with a clear message, before they can do harm.

The large files are made here at run time rather than committed.
"""

from __future__ import annotations

import contextlib
import socket

import pytest
from lxml import etree

from exchange import formats
from exchange.formats import MAX_DOCUMENT_BYTES, errors, safe_xml
from tests.exchange.formats.samples import peppol_sample

UBL_INVOICE = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'


def xxe(system_id: str) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "'
        + system_id.encode()
        + b'">]>\n'
        + UBL_INVOICE
        + b"<ID>&xxe;</ID></Invoice>"
    )


def billion_laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(entities) + "]>"
        f"<lolz>&lol{levels - 1};</lolz>"
    )


def refusal(data: bytes, kind: type[errors.InvoiceFileError]) -> str:
    """The staff message of ``kind`` that both detect() and parse() raise for ``data``."""
    with pytest.raises(kind) as detected:
        formats.detect(data)
    with pytest.raises(kind) as parsed:
        formats.parse(data)
    assert detected.value.staff_message == parsed.value.staff_message
    return parsed.value.staff_message


@pytest.mark.parametrize("system_id", ["file:///etc/passwd", "http://127.0.0.1:9/secret"])
def test_external_entity_is_refused(system_id):
    message = refusal(xxe(system_id), errors.UnsafeXml)

    assert message == errors.DOCTYPE_REFUSED
    assert "root:" not in message


def test_external_dtd_is_refused():
    data = (
        b'<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/invoice.dtd">' + UBL_INVOICE + b"</Invoice>"
    )

    assert refusal(data, errors.UnsafeXml) == errors.DOCTYPE_REFUSED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be"])
def test_billion_laughs_is_refused_in_any_encoding(encoding):
    text = billion_laughs()
    if encoding != "utf-8":
        text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')

    assert refusal(text.encode(encoding), errors.UnsafeXml) == errors.DOCTYPE_REFUSED


def test_the_parser_itself_neither_reads_files_nor_expands_entities():
    # Behind the DOCTYPE refusal, the parser alone stays safe: the entity is left unexpanded.
    root = etree.fromstring(xxe("file:///etc/passwd"), safe_xml.make_parser())

    assert b"root:" not in etree.tostring(root)


def test_the_parser_itself_makes_no_network_request():
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)
        port = server.getsockname()[1]
        data = (
            f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/r.dtd" '
            f'[<!ENTITY e SYSTEM "http://127.0.0.1:{port}/e">]><r>&e;</r>'
        ).encode()

        # libxml2 may stop at the reference ("Attempt to load network entity"): also fine.
        with contextlib.suppress(etree.XMLSyntaxError):
            etree.fromstring(data, safe_xml.make_parser())

        with pytest.raises(TimeoutError):
            server.accept()


def test_a_50_mb_file_is_refused_by_size_before_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("a file over the limit reached the parser")

    monkeypatch.setattr(safe_xml.etree, "fromstring", no_parsing)
    padding = b"<Note>" + b"x" * 1024 + b"</Note>"
    data = UBL_INVOICE + padding * (50 * 1024 * 1024 // len(padding)) + b"</Invoice>"

    message = refusal(data, errors.FileTooLarge)

    assert message == errors.FILE_TOO_LARGE.format(size_mb=len(data) / 2**20, limit_mb=10)
    assert message.startswith("The file is 50.0 MB")
    assert "at most 10 MB" in message


def test_a_file_of_exactly_the_limit_is_read():
    # Many small elements: libxml2 (without huge_tree) also caps one text node at 10^7 bytes.
    elements = b"<n/>" * ((MAX_DOCUMENT_BYTES - len(b"<notes></notes>")) // len(b"<n/>"))
    data = b"<notes>" + elements + b"</notes>"
    data = data[:-8] + b" " * (MAX_DOCUMENT_BYTES - len(data)) + data[-8:]
    assert len(data) == MAX_DOCUMENT_BYTES

    assert refusal(data, errors.UnknownFormat) == errors.UNKNOWN_FORMAT.format(root="notes")
    assert refusal(data + b" ", errors.FileTooLarge)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", errors.EMPTY_FILE),
        (b"  \n", errors.EMPTY_FILE),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", errors.NOT_XML_KNOWN.format(what="a PDF")),
        (b"PK\x03\x04\x14\x00", errors.NOT_XML_KNOWN.format(
            what="a ZIP archive (unpack it and choose the invoice XML)")),
        (b"Invoice 1, 124,00 EUR", errors.NOT_XML.format(
            detail="Start tag expected, '<' not found, line 1, column 1")),
        (b"<Invoice><ID>1</Invoice>", errors.NOT_XML.format(
            detail="Opening and ending tag mismatch: ID line 1 and Invoice, line 1, column 25")),
    ],
)  # fmt: skip
def test_not_xml_at_all_is_refused(data, message):
    assert refusal(data, errors.NotXml) == message


def test_deeply_nested_xml_is_refused():
    data = b"<a>" * 10_000 + b"</a>" * 10_000

    assert "Excessive depth" in refusal(data, errors.NotXml)


@pytest.mark.parametrize(
    ("data", "root"),
    [
        (b"<html><body><p>Invoice 1</p></body></html>", "html"),
        (b'<Invoice xmlns="urn:example:not-ubl"><ID>1</ID></Invoice>', "Invoice"),
        (b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
         b'CrossIndustryInvoice:100"/>', "CrossIndustryInvoice"),
    ],
)  # fmt: skip
def test_xml_that_is_not_an_invoice_format_is_refused(data, root):
    assert refusal(data, errors.UnknownFormat) == errors.UNKNOWN_FORMAT.format(root=root)


def test_every_refusal_is_a_portal_error_with_a_staff_message():
    from maventa_portal.core.errors import PortalError, staff_message_of

    with pytest.raises(PortalError) as refused:
        formats.parse(xxe("file:///etc/passwd"))

    assert staff_message_of(refused.value) == errors.DOCTYPE_REFUSED


def test_a_doctype_free_sample_is_read_after_all_these_checks():
    assert formats.parse(peppol_sample("base-example.xml")).number == "Snippet1"
