"""Document calls offline: one file as `file`, several as `files[n][...]`, the list's filters,
the 409 of a confirmation told plainly, one-or-many answers, and file downloads as bytes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from maventa_portal.maventa_api import Conflict, Invalid
from maventa_portal.maventa_api.ax import documents
from tests.maventa_api.offline import (
    AX,
    TOKEN_URL,
    calls_to,
    form_parts,
    plain_fields,
    query_of,
    token_answer,
)

DOCUMENTS_URL = f"{AX}/v1/documents"
DOCUMENT_URL = f"{DOCUMENTS_URL}/doc-1"
ORDER = b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>"
DOCUMENT = {
    "id": "doc-1",
    "type": "ORDER",
    "status": "DELIVERED",
    "recipient": {"eia": "0216:003712345678", "operator": "PEPPOL"},
    "last_event": {"code": "DELIVERED", "created_at": "2024-01-02T03:04:05Z"},
    "supported_formats": ["PEPPOLBIS30"],
    "files": [{"id": "file-1", "type": "PRIMARY_FILE"}],
}


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def test_one_file_is_sent_as_file_with_the_recipient(http_mock, token, offline_api):
    http_mock.post(DOCUMENTS_URL, status=201, json=DOCUMENT)

    sent = documents.send_document(
        offline_api,
        file=ORDER,
        filename="order.xml",
        type="ORDER",
        transmission_id="t-1",
        transmission_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        recipient_eia="0216:003712345678",
        recipient_operator="PEPPOL",
        recipient_name="Buyer Oy",
        recipient_country="FI",
    )

    call = calls_to(http_mock, "POST", DOCUMENTS_URL)[0]
    assert [(p.name, p.filename) for p in form_parts(call) if p.filename] == [("file", "order.xml")]
    assert plain_fields(call) == [
        ("type", "ORDER"),
        ("transmission_id", "t-1"),
        ("transmission_at", "2024-01-02T03:04:05Z"),
        ("recipient_eia", "0216:003712345678"),
        ("recipient_operator", "PEPPOL"),
        ("recipient_name", "Buyer Oy"),
        ("recipient_country", "FI"),
    ]
    assert sent.recipient.operator == "PEPPOL"
    assert sent.last_event == documents.DocumentEvent(
        code="DELIVERED", created_at="2024-01-02T03:04:05Z"
    )
    assert sent.supported_formats == ("PEPPOLBIS30",)


def test_attachments_send_every_file_indexed_with_its_type(http_mock, token, offline_api):
    http_mock.post(DOCUMENTS_URL, status=201, json=DOCUMENT)

    documents.send_document(
        offline_api, file=ORDER, filename="order.xml", attachments=[("spec.pdf", b"%PDF")]
    )

    call = calls_to(http_mock, "POST", DOCUMENTS_URL)[0]
    files = [(p.name, p.filename, p.content) for p in form_parts(call) if p.filename]
    assert files == [
        ("files[0][file]", "order.xml", ORDER),
        ("files[1][file]", "spec.pdf", b"%PDF"),
    ]
    assert plain_fields(call) == [
        ("files[0][file_type]", "PRIMARY_FILE"),
        ("files[1][file_type]", "ATTACHMENT"),
    ]


def test_a_transmission_id_used_before_is_told_plainly(http_mock, token, offline_api):
    http_mock.post(
        DOCUMENTS_URL,
        status=422,
        json={"code": "document_duplicate_transmission_id", "message": "already used"},
    )

    with pytest.raises(Invalid) as caught:
        documents.send_document(offline_api, file=ORDER, filename="order.xml")

    assert caught.value.staff_message == documents.DUPLICATE_TRANSMISSION


def test_the_list_sends_its_filters_under_their_wire_names(http_mock, token, offline_api):
    http_mock.get(DOCUMENTS_URL, json=[DOCUMENT], headers={"X-Next-Page": ""})

    page = documents.list_documents(
        offline_api,
        direction="SENT",
        type=["ORDER"],
        status=["DELIVERED"],
        query="PO-1",
        created_at_start="2024-01-01T00:00:00Z",
        sort=["-created_at", "number"],
        per_page=50,
    )

    assert query_of(calls_to(http_mock, "GET", DOCUMENTS_URL)[0]) == [
        ("direction", "SENT"),
        ("type[]", "ORDER"),
        ("status[]", "DELIVERED"),
        ("query", "PO-1"),
        ("created_at_start", "2024-01-01T00:00:00Z"),
        ("sort[]", "-created_at"),
        ("sort[]", "number"),
        ("page", "1"),
        ("per_page", "50"),
    ]
    assert [d.id for d in page.items] == ["doc-1"]
    assert page.is_last


def test_a_confirmation_before_delivery_is_told_plainly(http_mock, token, offline_api):
    http_mock.patch(
        DOCUMENT_URL,
        status=409,
        json={"code": "document_in_invalid_state", "message": "must be delivered"},
    )

    with pytest.raises(Conflict) as caught:
        documents.confirm_delivery(offline_api, document_id="doc-1")

    assert caught.value.staff_message == "Only a delivered document can be confirmed as delivered."
    sent = calls_to(http_mock, "PATCH", DOCUMENT_URL)[0].request.body
    assert json.loads(sent) == {"status": "CONFIRMED_DELIVERY"}


@pytest.mark.parametrize(
    "answer",
    [{"code": "SENT", "created_at": "t"}, [{"code": "SENT", "created_at": "t"}]],
    ids=["one object", "a list"],
)
def test_events_are_read_as_one_object_or_a_list(http_mock, token, offline_api, answer):
    http_mock.get(f"{DOCUMENT_URL}/events", json=answer)

    events = documents.document_events(offline_api, document_id="doc-1")

    assert events == [documents.DocumentEvent(code="SENT", created_at="t")]


def test_files_are_listed_by_document_and_downloaded_as_bytes(http_mock, token, offline_api):
    http_mock.get(f"{AX}/v1/files", json=[{"id": "file-1", "filename": "order.xml"}])
    http_mock.get(f"{AX}/v1/files/file-1", body=ORDER, content_type="application/xml")

    files = documents.list_document_files(offline_api, document_id="doc-1")
    download = documents.download_document_file(offline_api, file_id="file-1")

    assert query_of(calls_to(http_mock, "GET", f"{AX}/v1/files")[0]) == [("document_id", "doc-1")]
    assert files == [documents.DocumentFile(id="file-1", filename="order.xml")]
    assert (download.content, download.content_type) == (ORDER, "application/xml")
