"""POST /v1/invoices: what is read from the file, what is refused, and the uuid as the id."""

from __future__ import annotations

import uuid
from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.exchange_helpers import (
    INVOICES,
    exchange_token,
    get_invoice,
    invoice_zip,
    sample,
    send_invoice,
    sent,
)

pytestmark = pytest.mark.sandbox

PDF = b"%PDF-1.4\n% an invoice image\n%%EOF\n"


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


def refused(response, *, code: str = "invalid_parameters", status=HTTPStatus.BAD_REQUEST) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    return " ".join([body["message"], *body.get("details", [])])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "finvoice30-simple.xml",
            {"number": "20250310", "sum": 335.0, "sum_tax": 420.43, "currency": "EUR",
             "source_format": "FINVOICE30", "date": "2025-03-10", "date_due": "2025-03-24",
             "reference": "2025031010"},
        ),
        (
            "ehf30-billing-invoice.xml",
            {"number": "2025-0417", "sum": 14660.0, "sum_tax": 18209.0, "currency": "NOK",
             "source_format": "PEPPOLBIS30", "date": "2025-03-15", "date_due": "2025-04-14"},
        ),
        (
            "teappsxml30-invoice.xml",
            {"number": "5518", "sum": 545.5, "sum_tax": 684.6, "currency": "EUR",
             "source_format": "TEAPPS30", "reference": "20250318014"},
        ),
        (
            "finvoice30-credit-note.xml",
            {"number": "20250321", "sum": -40.0, "sum_tax": -50.2, "source_format": "FINVOICE30"},
        ),
        (
            "peppol/base-creditnote-correction.xml",
            {"sum": -1325.0, "sum_tax": -1656.25, "source_format": "PEPPOLBIS30"},
        ),
    ],
)  # fmt: skip
def test_send_reads_number_sums_dates_and_format_from_the_file(sandbox, token, name, expected):
    body = sent(sandbox, token, sample(name))

    assert body.items() >= expected.items()
    assert body["status"] == "PENDING"
    assert [a["type"] for a in body["actions"]] == ["CREATED"]


def test_send_reads_sender_and_recipient(sandbox, token):
    body = sent(sandbox, token, sample("finvoice30-simple.xml"))

    assert body["sender"] == {
        "eia": "003723456780",
        "bid": "2345678-0",
        "name": "Kattohuolto Virtanen Oy",
        "country": "FI",
    }
    assert body["recipient"]["name"] == "As Oy Koivukuja 5"
    assert body["recipient"]["eia"] == "0037:003710601555"
    assert body["recipient"]["bid"] == "1060155-5"


def test_recipient_parameters_win_over_the_file(sandbox, token):
    body = sent(
        sandbox,
        token,
        sample("finvoice30-simple.xml"),
        recipient_eia="0037:003724681357",
        recipient_operator="003703575029",
    )

    assert body["recipient"]["eia"] == "0037:003724681357"
    assert body["recipient"]["operator"] == "003703575029"


def test_own_uuid_is_the_invoice_id_and_finds_it_again(sandbox, token):
    own = str(uuid.uuid4())

    body = sent(sandbox, token, uuid=own)

    assert body["id"] == own
    assert get_invoice(sandbox, token, own)["number"] == "20250310"
    listed = ax_call(sandbox, "GET", INVOICES, token, params={"direction": "SENT", "ids[]": own})
    assert [i["id"] for i in listed.json()] == [own]


def test_second_send_with_the_same_uuid_is_refused(sandbox, token):
    own = str(uuid.uuid4())
    sent(sandbox, token, uuid=own)

    response = send_invoice(sandbox, token, fields={"uuid": own})

    assert own in refused(response, code="invoice_duplicate_uuid")
    sent_ones = ax_call(sandbox, "GET", INVOICES, token, params={"direction": "SENT"}).json()
    assert len(sent_ones) == 1


def test_uuid_must_be_a_uuid(sandbox, token):
    assert "uuid" in refused(send_invoice(sandbox, token, fields={"uuid": "my-invoice-1"}))


def test_without_uuid_one_is_generated(sandbox, token):
    first, second = sent(sandbox, token), sent(sandbox, token)

    assert uuid.UUID(first["id"]) != uuid.UUID(second["id"])


def test_zip_brings_the_image_and_attachments(sandbox, token):
    archive = invoice_zip(sample("finvoice30-simple.xml"), PDF, **{"timesheet.pdf": PDF})

    response = send_invoice(sandbox, token, archive, filename="invoice.zip")

    assert response.status_code == HTTPStatus.CREATED, response.text
    files = response.json()["files"]
    assert [(f["filename"], f["mimetype"]) for f in files] == [
        ("invoice.xml", "application/xml"),
        ("invoice.pdf", "application/pdf"),
        ("1_timesheet.pdf", "application/pdf"),
    ]
    assert files[0]["type"] == "FINVOICE30"
    assert all(f["href"].endswith(f"/files/{f['id']}") for f in files)


def test_zip_without_an_xml_is_refused(sandbox, token):
    archive = invoice_zip(b"", None)
    only_pdf = archive.replace(b"invoice.xml", b"invoice.txt")

    assert "invoice XML" in refused(send_invoice(sandbox, token, only_pdf, filename="x.zip"))


def test_a_corrupt_zip_is_refused(sandbox, token):
    broken = invoice_zip(sample("finvoice30-simple.xml"))[:200]

    assert "ZIP" in refused(send_invoice(sandbox, token, broken, filename="invoice.zip"))


@pytest.mark.parametrize("key", ["disabled_routes[]", "disabled_routes"])
def test_disabled_routes_in_either_spelling(sandbox, token, key):
    # Print and email off, an address nobody has: no route is left and the send fails.
    fields = [(key, "print"), (key, "email"), ("recipient_eia", "0037:003799999999")]
    response = send_invoice(sandbox, token, fields=fields)
    assert response.status_code == HTTPStatus.CREATED, response.text

    moved = get_invoice(sandbox, token, response.json()["id"])

    assert moved["status"] == "FAILED"
    assert "print disabled" in moved["actions"][-1]["message"]


def test_unknown_disabled_route_is_refused(sandbox, token):
    message = refused(send_invoice(sandbox, token, fields={"disabled_routes[]": "fax"}))

    assert "fax" in message


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"format": "PDF"}, "format"),
        ({"lang": "DE"}, "lang"),
        ({"recipient_type": "b2c"}, "recipient_type"),
        ({"route_order[]": "pigeon"}, "route_order"),
    ],
)
def test_unknown_enum_values_are_refused(sandbox, token, fields, named):
    assert named in refused(send_invoice(sandbox, token, fields=fields))


def test_format_other_than_the_file_is_refused(sandbox, token):
    message = refused(send_invoice(sandbox, token, fields={"format": "PEPPOLBIS30"}))

    assert "FINVOICE30" in message
    assert "PEPPOLBIS30" in message


def test_format_the_sandbox_cannot_read_is_refused_saying_so(sandbox, token):
    assert "VISMAXML60" in refused(send_invoice(sandbox, token, fields={"format": "VISMAXML60"}))


def test_matching_format_is_accepted(sandbox, token):
    assert sent(sandbox, token, format="FINVOICE30")["source_format"] == "FINVOICE30"


def test_an_order_is_not_an_invoice(sandbox, token):
    message = refused(send_invoice(sandbox, token, sample("peppol-bis3-order.xml")))

    assert "order" in message
    assert "/v1/documents" in message


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"%PDF-1.4 not an invoice", "PDF"),
        (b"<Invoice><unclosed></Invoice>", "not well-formed"),
        (b"", "empty"),
        (b"<Something/>", "root element Something"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<Finvoice>&e;</Finvoice>",
            "DOCTYPE",
        ),
    ],
)
def test_files_that_are_not_invoices_are_refused_with_the_reason(sandbox, token, content, says):
    assert says in refused(send_invoice(sandbox, token, content))


def test_file_is_required(sandbox, token):
    multipart_without_file = {"format": (None, "FINVOICE30")}
    response = ax_call(sandbox, "POST", INVOICES, token, files=multipart_without_file)

    assert "file is missing" in refused(response)


def test_body_must_be_multipart(sandbox, token):
    response = ax_call(sandbox, "POST", INVOICES, token, json={"file": "x"})

    assert "multipart" in refused(response)


def test_unverified_company_cannot_send_or_receive(sandbox):
    unverified = sandbox.create_company(
        name="Kesken Oy", bid="7654321-2", country="FI", company_state="UNVERIFIED"
    )
    token = exchange_token(sandbox, unverified)

    for response in (
        send_invoice(sandbox, token),
        ax_call(sandbox, "GET", INVOICES, token),
    ):
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        body = response.json()
        assert body["message"] == "Unauthorized"  # API.md: refused with "Unauthorized"
        assert "UNVERIFIED" in body["details"][0]


def test_sending_needs_the_invoice_send_scope(sandbox, company):
    reader = company_token(sandbox, company, scope="invoice:receive")

    response = send_invoice(sandbox, reader)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "insufficient_scope"
    assert ax_call(sandbox, "GET", INVOICES, reader).status_code == HTTPStatus.OK


def test_default_token_has_no_invoice_scopes(sandbox, company):
    plain = company_token(sandbox, company)

    response = ax_call(sandbox, "GET", INVOICES, plain)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "invoice:receive" in response.headers["WWW-Authenticate"]
