"""Invoice calls offline: the multipart send and its zip package, the list's query string,
downloads as bytes, the received-event mark, and reroutes checked before they are sent."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest

from maventa_portal.maventa_api import Invalid
from maventa_portal.maventa_api.ax import invoices
from maventa_portal.maventa_api.files import Attachment, zip_invoice
from tests.maventa_api.offline import (
    AX,
    TOKEN_URL,
    calls_to,
    form_parts,
    plain_fields,
    query_of,
    token_answer,
)

INVOICES_URL = f"{AX}/v1/invoices"
INVOICE_URL = f"{INVOICES_URL}/inv-1"
XML = b"<?xml version='1.0'?><Finvoice Version='3.0'/>"
PDF = b"%PDF-1.4 image"
SENT = {
    "id": "inv-1",
    "status": "PENDING",
    "number": "1001",
    "sender": {"bid": "1234567-1", "name": "Seller Oy"},
    "recipient": {"eia": "003712345678", "operator": "PEPPOL"},
    "source_format": "FINVOICE30",
    "sum": 100.0,
    "sum_tax": 125.5,
    "currency": "EUR",
    "files": [{"id": "f-1", "filename": "invoice.xml", "mimetype": "application/xml"}],
    "actions": [{"type": "CREATED", "happened_at": "2024-01-02T03:04:05Z"}],
    "added_later": "ignored",
}


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def test_send_is_multipart_with_maventas_field_names(http_mock, token, offline_api):
    http_mock.post(INVOICES_URL, status=201, json=SENT)

    sent = invoices.send_invoice(
        offline_api,
        file=XML,
        filename="1001.xml",
        format="FINVOICE30",
        recipient_eia="003712345678",
        recipient_operator="PEPPOL",
        disabled_routes=["print", "email"],
        uuid="0b6f1a3c-0000-4000-8000-00000000aaaa",
        lang="FI",
    )

    call = calls_to(http_mock, "POST", INVOICES_URL)[0]
    file_part = form_parts(call)[0]
    assert (file_part.name, file_part.filename, file_part.content) == ("file", "1001.xml", XML)
    assert file_part.content_type == "application/xml"
    assert plain_fields(call) == [
        ("format", "FINVOICE30"),
        ("recipient_eia", "003712345678"),
        ("recipient_operator", "PEPPOL"),
        ("disabled_routes[]", "print"),
        ("disabled_routes[]", "email"),
        ("uuid", "0b6f1a3c-0000-4000-8000-00000000aaaa"),
        ("lang", "FI"),
    ]
    assert sent.id == "inv-1"
    assert sent.recipient == invoices.InvoiceParty(eia="003712345678", operator="PEPPOL")
    assert sent.files == (
        invoices.InvoiceFile(id="f-1", filename="invoice.xml", mimetype="application/xml"),
    )
    assert sent.actions[0].type == "CREATED"
    assert sent.raw["added_later"] == "ignored"


def test_an_image_and_attachments_go_as_the_public_clients_zip(http_mock, token, offline_api):
    http_mock.post(INVOICES_URL, status=201, json=SENT)

    invoices.send_invoice(
        offline_api,
        file=XML,
        filename="1001.xml",
        pdf=PDF,
        attachments=[("terms.pdf", b"terms"), Attachment("../../etc/hours.csv", b"hours")],
    )

    part = form_parts(calls_to(http_mock, "POST", INVOICES_URL)[0])[0]
    assert (part.filename, part.content_type) == ("invoice.zip", "application/zip")
    package = zipfile.ZipFile(io.BytesIO(part.content))
    assert package.namelist() == ["invoice.xml", "invoice.pdf", "1_terms.pdf", "2_hours.csv"]
    assert package.read("invoice.xml") == XML
    assert package.read("invoice.pdf") == PDF
    assert package.read("2_hours.csv") == b"hours"


def test_the_same_invoice_zips_to_the_same_bytes():
    assert zip_invoice(XML, PDF) == zip_invoice(XML, PDF)
    assert zipfile.ZipFile(io.BytesIO(zip_invoice(XML))).namelist() == ["invoice.xml"]


def test_the_list_sends_its_filters_under_their_wire_names(http_mock, token, offline_api):
    http_mock.get(INVOICES_URL, json=[SENT], headers={"X-Total": "1", "X-Total-Pages": "1"})
    helsinki = timezone(timedelta(hours=2))

    page = invoices.list_invoices(
        offline_api,
        direction="SENT",
        status=["DELIVERED", "FAILED"],
        ids=["a", "b"],
        received_at_start=datetime(2024, 1, 1, 2, 0, tzinfo=helsinki),
        created_at_end="2024-02-01T00:00:00Z",
        sort="-received_at",
    )

    assert query_of(calls_to(http_mock, "GET", INVOICES_URL)[0]) == [
        ("direction", "SENT"),
        ("status[]", "DELIVERED"),
        ("status[]", "FAILED"),
        ("ids[]", "a"),
        ("ids[]", "b"),
        ("received_at_start", "2024-01-01T00:00:00Z"),
        ("created_at_end", "2024-02-01T00:00:00Z"),
        ("sort[]", "-received_at"),
        ("page", "1"),
        ("per_page", "100"),
    ]
    assert [item.number for item in page.items] == ["1001"]
    assert (page.total, page.total_pages, page.next_page) == (1, 1, None)


def test_a_naive_date_time_is_refused_before_sending(offline_api):
    with pytest.raises(ValueError, match="no time zone"):
        invoices.list_invoices(offline_api, received_at_start=datetime(2024, 1, 1))  # noqa: DTZ001


def test_a_download_is_the_bytes_as_sent(http_mock, token, offline_api):
    http_mock.get(
        INVOICE_URL,
        body=PDF,
        content_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="1001.pdf"'},
    )

    download = invoices.download_invoice(
        offline_api, invoice_id="inv-1", return_format="ORIGINAL_OR_GENERATED_IMAGE"
    )

    call = calls_to(http_mock, "GET", INVOICE_URL)[0]
    assert query_of(call) == [("return_format", "ORIGINAL_OR_GENERATED_IMAGE")]
    assert call.request.headers["Accept"] == "*/*"
    assert (download.content, download.content_type, download.filename) == (
        PDF,
        "application/pdf",
        "1001.pdf",
    )


def test_a_file_of_the_invoice_downloads_as_bytes(http_mock, token, offline_api):
    url = f"{INVOICE_URL}/files/f%2F1"
    http_mock.get(url, body=XML, content_type="application/xml")

    download = invoices.download_file(offline_api, invoice_id="inv-1", file_id="f/1")

    assert download.content == XML
    assert download.content_type == "application/xml"


def test_get_reads_the_invoice_and_actions_its_history(http_mock, token, offline_api):
    http_mock.get(INVOICE_URL, json=SENT)
    http_mock.get(f"{INVOICE_URL}/actions", json=SENT["actions"])

    invoice = invoices.get_invoice(offline_api, invoice_id="inv-1")
    actions = invoices.invoice_actions(offline_api, invoice_id="inv-1", type=["CREATED"])

    assert (invoice.sum, invoice.sum_tax, invoice.sender.name) == (100.0, 125.5, "Seller Oy")
    assert actions == [invoices.InvoiceAction(type="CREATED", happened_at="2024-01-02T03:04:05Z")]
    assert query_of(calls_to(http_mock, "GET", f"{INVOICE_URL}/actions")[0]) == [
        ("type[]", "CREATED")
    ]


def test_a_received_event_is_marked_handled(http_mock, token, offline_api):
    http_mock.patch(f"{INVOICE_URL}/invoice_events", status=204)

    invoices.mark_invoice_event(offline_api, invoice_id="inv-1", state="HANDLED")

    call = calls_to(http_mock, "PATCH", f"{INVOICE_URL}/invoice_events")[0]
    assert json.loads(call.request.body) == {"state": "HANDLED"}


@pytest.mark.parametrize(
    ("route", "fields"),
    [
        ("einvoice", {"recipient_eia": "003712345678", "recipient_operator": "003721291126"}),
        ("email", {"recipient_email": "ap@example.com"}),
        (
            "print",
            {
                "recipient_name": "Buyer Oy",
                "recipient_address1": "Katu 1",
                "recipient_post_code": "00100",
                "recipient_post_office": "Helsinki",
                "recipient_country": "FI",
                "recipient_state": "",
            },
        ),
    ],
)
def test_a_reroute_sends_what_its_route_needs(http_mock, token, offline_api, route, fields):
    url = f"{INVOICE_URL}/reroute/{route}"
    http_mock.put(url, status=200)

    invoices.reroute(offline_api, invoice_id="inv-1", route=route, **fields)

    sent = json.loads(calls_to(http_mock, "PUT", url)[0].request.body)
    assert sent == {key: value for key, value in fields.items() if value}


@pytest.mark.parametrize(
    ("route", "fields", "message"),
    [
        ("email", {}, "Rerouting by email needs recipient_email."),
        (
            "einvoice",
            {"recipient_eia": "003712345678", "recipient_operator": " "},
            "Rerouting by einvoice needs recipient_operator.",
        ),
        (
            "print",
            {"recipient_name": "Buyer Oy"},
            "Rerouting by print needs recipient_address1, recipient_post_code, "
            "recipient_post_office, recipient_country.",
        ),
        (
            "email",
            {"recipient_email": "ap@example.com", "recipient_eia": "0037"},
            "Rerouting by email takes no recipient_eia.",
        ),
        ("fax", {}, "Maventa reroutes by einvoice, email, print only, not by 'fax'."),
    ],
)
def test_a_reroute_missing_its_fields_is_refused_before_sending(
    http_mock, offline_api, route, fields, message
):
    with pytest.raises(Invalid) as caught:
        invoices.reroute(offline_api, invoice_id="inv-1", route=route, **fields)

    assert caught.value.staff_message == message
    assert caught.value.status is None
    assert len(http_mock.calls) == 0  # not even a token was fetched


def test_timestamps_are_utc_with_a_z():
    from maventa_portal.maventa_api.entities import timestamp

    assert timestamp(datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)) == "2024-05-06T07:08:09Z"


def test_a_send_refused_with_401_is_sent_again_with_the_same_body(http_mock, offline_api):
    http_mock.post(TOKEN_URL, json=token_answer("token-1"))
    http_mock.post(INVOICES_URL, status=401, json={"message": "expired"})
    http_mock.post(TOKEN_URL, json=token_answer("token-2"))
    http_mock.post(INVOICES_URL, status=201, json=SENT)

    invoices.send_invoice(offline_api, file=XML, filename="1001.xml", disabled_routes=["print"])

    first, second = calls_to(http_mock, "POST", INVOICES_URL)
    assert form_parts(first) == form_parts(second)
    assert form_parts(second)[0].content == XML
    assert second.request.headers["Authorization"] == "Bearer token-2"
