"""Downloading an invoice: its XML, its image, its files (API.md "Invoices", FIELDS.md 5)."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call
from tests.sandbox.exchange_helpers import INVOICES, exchange_token, invoice_zip, sample, sent

pytestmark = pytest.mark.sandbox

PDF = b"%PDF-1.4\n% the original image\n%%EOF\n"


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


@pytest.fixture
def with_image(sandbox, token) -> dict:
    archive = invoice_zip(sample("finvoice30-simple.xml"), PDF, **{"notes.txt": b"hello"})
    return sent(sandbox, token, archive)


def download(sandbox, token, invoice_id: str, return_format: str | None = None):
    params = {"return_format": return_format} if return_format else {}
    return ax_call(sandbox, "GET", f"{INVOICES}/{invoice_id}", token, params=params)


@pytest.mark.parametrize("return_format", ["FINVOICE30", "PEPPOLBIS30", "TEAPPS30"])
def test_any_xml_format_answers_the_original_xml(sandbox, token, return_format):
    # The sandbox converts nothing: the invoice's own XML, whatever format is asked.
    created = sent(sandbox, token)

    response = download(sandbox, token, created["id"], return_format)

    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"] == "application/xml"
    assert response.content == sample("finvoice30-simple.xml")
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("return_format", ["ORIGINAL_IMAGE", "ORIGINAL_OR_GENERATED_IMAGE"])
def test_original_image_is_the_pdf_that_came(sandbox, token, with_image, return_format):
    response = download(sandbox, token, with_image["id"], return_format)

    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content == PDF


def test_generated_image_is_drawn_by_the_sandbox(sandbox, token, with_image):
    response = download(sandbox, token, with_image["id"], "GENERATED_IMAGE")

    assert response.content.startswith(b"%PDF-1.4")
    assert b"Invoice 20250310" in response.content
    assert response.content != PDF


def test_without_an_original_image(sandbox, token):
    created = sent(sandbox, token)

    missing = download(sandbox, token, created["id"], "ORIGINAL_IMAGE")
    either = download(sandbox, token, created["id"], "ORIGINAL_OR_GENERATED_IMAGE")

    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert missing.json()["code"] == "not_found"
    assert either.status_code == HTTPStatus.OK
    assert either.content.startswith(b"%PDF")


def test_unknown_return_format_is_refused(sandbox, token):
    created = sent(sandbox, token)

    assert download(sandbox, token, created["id"], "DOCX").status_code == HTTPStatus.BAD_REQUEST


def test_each_file_downloads_with_its_type(sandbox, token, with_image):
    files = {f["filename"]: f for f in with_image["files"]}

    note = ax_call(
        sandbox, "GET", f"{INVOICES}/{with_image['id']}/files/{files['1_notes.txt']['id']}", token
    )
    xml = ax_call(
        sandbox, "GET", f"{INVOICES}/{with_image['id']}/files/{files['invoice.xml']['id']}", token
    )

    assert (note.content, note.headers["Content-Type"]) == (b"hello", "text/plain")
    assert xml.content == sample("finvoice30-simple.xml")
    assert files["1_notes.txt"]["type"] == "TXT"


@pytest.mark.parametrize("file_id", ["00000000-0000-0000-0000-000000000000", "nope"])
def test_unknown_file_is_not_found(sandbox, token, with_image, file_id):
    response = ax_call(sandbox, "GET", f"{INVOICES}/{with_image['id']}/files/{file_id}", token)

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_another_companys_file_is_not_found(sandbox, with_image):
    other = sandbox.create_company(name="Muu Oy", bid="7654321-2", country="FI")
    file_id = with_image["files"][0]["id"]

    response = ax_call(
        sandbox,
        "GET",
        f"{INVOICES}/{with_image['id']}/files/{file_id}",
        exchange_token(sandbox, other),
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("invoice_id", ["00000000-0000-0000-0000-000000000000", "INV-1"])
def test_unknown_invoice_is_not_found(sandbox, token, invoice_id):
    assert download(sandbox, token, invoice_id).status_code == HTTPStatus.NOT_FOUND
