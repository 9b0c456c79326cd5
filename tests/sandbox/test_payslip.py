"""The sandbox's Payslip (Direct Print) service over HTTP: registration, both header schemes,
every check of a package (200 with an ERROR text), statuses over time, faults."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile

import pytest
import requests
from django.conf import settings

from maventa_portal.sandbox.control_client import ControlError


def make_zip(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n%test letter\n%%EOF\n"
PASSWORD = "a-long-password"  # noqa: S105 - a sandbox account made by the test
TWO_LETTERS = make_zip(("letter1.pdf", PDF), ("letter2.pdf", PDF), ("index.xml", b"<x/>"))


def package_form(data: bytes = TWO_LETTERS, filename: str = "batch-1.zip", **fields) -> dict:
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - the checksum Maventa asks for
    form = {
        "filename": filename,
        "file": base64.b64encode(data).decode(),
        "hash": digest,
        "zipHash": digest,
        "sw_api_key": settings.MAVENTA_VENDOR_API_KEY,
        "document_type": "PDFXML",
        "letter_class": "priority",
        "color_print": "false",
        "duplex": "false",
    }
    form.update(fields)
    return form


def company_headers(company: dict) -> dict:
    return {"COMPANY-UUID": company["company_id"], "USER-API-KEY": company["api_key"]}


def post(sandbox, path: str, headers: dict, **kwargs) -> requests.Response:
    return requests.post(f"{sandbox.payslip_url}{path}", headers=headers, timeout=10, **kwargs)


def register(sandbox, company: dict, **fields) -> requests.Response:
    form = {
        "company_name": "Testi Oy",
        "business_id": "1234567-1",
        "contact_email": "print@example.com",
        **fields,
    }
    return post(sandbox, "/register", company_headers(company), data=form)


@pytest.fixture
def registered(sandbox, company) -> dict:
    answer = register(sandbox, company, password=PASSWORD)
    assert answer.status_code == 200, answer.text
    return {"USERNAME": answer.json()["username"], "USERPW": PASSWORD}


def send(sandbox, headers: dict, **form) -> requests.Response:
    return post(sandbox, "/input_public", headers, data=package_form(**form))


def status_of(sandbox, headers: dict, filename: str = "batch-1.zip") -> requests.Response:
    return post(sandbox, "/file_status", headers, data={"filename": filename})


def test_register_answers_the_account_and_a_made_password_once(sandbox, company):
    first = register(sandbox, company)
    assert first.status_code == 200
    body = first.json()
    assert body["status"] == "OK"
    assert body["username"] == "dp12345671"
    made = {"USERNAME": body["username"], "USERPW": body["password"]}
    again = register(sandbox, company, contact_phone="+358401234567")
    assert again.json()["username"] == "dp12345671"
    assert "password" not in again.json()
    sandbox.payslip_settings(status_step_seconds=0)
    assert send(sandbox, made).text.startswith("OK")


def test_register_refuses_another_business_id_and_the_account_headers(sandbox, company, registered):
    wrong = register(sandbox, company, business_id="7654321-8")
    assert wrong.status_code == 200
    assert wrong.text.startswith("ERROR: business_id")
    assert post(sandbox, "/register", registered, data={"company_name": "x"}).status_code == 403


@pytest.mark.parametrize("scheme", ["account", "company"])
def test_a_package_is_taken_with_either_scheme_and_reaches_sent(
    sandbox, company, registered, scheme
):
    headers = registered if scheme == "account" else company_headers(company)
    sandbox.payslip_settings(status_step_seconds=0)
    answer = send(sandbox, headers)
    assert answer.status_code == 200
    assert answer.text == "OK: batch-1.zip received, 2 letters"
    status = status_of(sandbox, headers).json()
    assert status["status"] == "SENT"
    assert status["final"] is True
    assert status["letters"] == 2
    assert [step["status"] for step in status["history"]] == [
        "RECEIVED",
        "PROCESSING",
        "PRINTED",
        "SENT",
    ]


def test_status_starts_received_while_steps_are_long(sandbox, company, registered):
    sandbox.payslip_settings(status_step_seconds=3600)
    send(sandbox, registered)
    status = status_of(sandbox, registered).json()
    assert status["status"] == "RECEIVED"
    assert status["final"] is False


def test_a_package_asked_to_fail_ends_in_error_and_the_next_one_is_sent(
    sandbox, company, registered
):
    sandbox.payslip_settings(status_step_seconds=0, fail_next=1)
    send(sandbox, registered, filename="bad.zip")
    send(sandbox, registered, filename="good.zip")
    assert status_of(sandbox, registered, "bad.zip").json()["status"] == "ERROR"
    assert status_of(sandbox, registered, "good.zip").json()["status"] == "SENT"
    listed = sandbox.payslip_packages(company["company_id"])
    assert {p["filename"]: p["status"] for p in listed} == {"bad.zip": "ERROR", "good.zip": "SENT"}


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"hash": "0" * 40}, "ERROR: hash mismatch"),
        ({"zipHash": "0" * 40}, "ERROR: zipHash mismatch"),
        ({"sw_api_key": "no-such-vendor-key"}, "ERROR: unknown sw_api_key"),
        ({"filename": "batch.pdf"}, "ERROR: filename must end in .zip"),
        ({"filename": "x" * 300 + ".zip"}, "ERROR: filename is longer than 255 characters"),
        ({"file": "not base64!"}, "ERROR: file is not base64"),
        ({"document_type": "DOCX"}, "ERROR: document_type must be one of PDFXML, EPL"),
        ({"letter_class": "first"}, "ERROR: letter_class must be one of economy, priority"),
        ({"duplex": "yes"}, "ERROR: duplex must be true or false"),
        ({"version": "v" * 300}, "ERROR: version is longer than 255 characters"),
        ({"filename": "a\x00.zip"}, "ERROR: filename holds a NUL character"),
        ({"version": "v\x00"}, "ERROR: version holds a NUL character"),
    ],
)
def test_content_refusals_answer_200_with_an_error_text(
    sandbox, company, registered, change, refusal
):
    answer = send(sandbox, registered, **change)
    assert answer.status_code == 200
    assert answer.text == refusal


def test_a_file_that_is_no_zip_or_holds_no_letters_is_refused(sandbox, company, registered):
    assert send(sandbox, registered, data=b"not a zip").text == "ERROR: file is not a readable zip"
    no_pdf = make_zip(("readme.txt", b"hello"))
    assert send(sandbox, registered, data=no_pdf).text == "ERROR: no PDF letters in the zip"
    fake = make_zip(("letter.pdf", b"hello"))
    assert send(sandbox, registered, data=fake).text == "ERROR: letter.pdf is not a PDF"
    epl = make_zip(("a.epl", b"EPL"), ("b.EPL", b"EPL"))
    answer = send(sandbox, registered, data=epl, filename="epl.zip", document_type="EPL")
    assert answer.text == "OK: epl.zip received, 2 letters"


def test_a_multipart_body_is_refused(sandbox, company, registered):
    form = package_form()
    answer = post(sandbox, "/input_public", registered, files={"file": ("a.zip", TWO_LETTERS)})
    assert answer.text.startswith("ERROR: the body must be application/x-www-form-urlencoded")
    del form["file"]
    assert post(sandbox, "/input_public", registered, data=form).text == "ERROR: file is missing"


def test_a_name_sent_twice_is_a_duplicate(sandbox, company, registered):
    assert send(sandbox, registered).text.startswith("OK")
    other = make_zip(("other.pdf", PDF))
    assert send(sandbox, registered, data=other).text == "ERROR: duplicate filename batch-1.zip"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"USERNAME": "nobody", "USERPW": "wrong-password"},
        {"USERNAME": "x" * 500, "USERPW": "y" * 500},
        {"COMPANY-UUID": "not-a-uuid", "USER-API-KEY": "key"},
        {"USERNAME": "only-the-name"},
    ],
)
def test_missing_or_wrong_credentials_answer_401(sandbox, company, registered, headers):
    answer = send(sandbox, headers)
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthorized"


def test_wrong_password_or_api_key_of_a_known_account_is_401(sandbox, company, registered):
    assert send(sandbox, {**registered, "USERPW": "not-the-password"}).status_code == 401
    wrong_key = {**company_headers(company), "USER-API-KEY": "not-the-key"}
    assert send(sandbox, wrong_key).status_code == 401


def test_a_company_not_registered_for_direct_print_is_403(sandbox):
    other = sandbox.create_company(name="Toinen Oy", bid="7654321-8", country="FI")
    answer = send(sandbox, company_headers(other))
    assert answer.status_code == 403
    assert status_of(sandbox, company_headers(other)).status_code == 403


def test_status_of_an_unknown_name_is_404(sandbox, company, registered):
    assert status_of(sandbox, registered, "never-sent.zip").status_code == 404


def test_control_account_gives_working_account_credentials(sandbox, company):
    account = sandbox.payslip_account(company["company_id"], username="demo-print")
    headers = {"USERNAME": "demo-print", "USERPW": account["password"]}
    sandbox.payslip_settings(status_step_seconds=0)
    assert send(sandbox, headers).text.startswith("OK")


def test_faults_apply_to_payslip(sandbox, company, registered):
    sandbox.script({"api": "payslip", "path": "/input_public", "status": 503})
    assert send(sandbox, registered).status_code == 503
    assert send(sandbox, registered).text.startswith("OK")


@pytest.mark.parametrize(
    ("field", "value", "refusal"),
    [
        ("company_name", "N" * 201, "ERROR: company_name is longer than 200 characters"),
        ("contact_email", "a@" + "e" * 300, "ERROR: contact_email is longer than 254 characters"),
        ("username", "u" * 101, "ERROR: username is longer than 100 characters"),
        ("username", "no spaces", "ERROR: username may hold only"),
        ("password", "short", "ERROR: password must be 8 to 128 characters"),
        ("contact_email", "", "ERROR: contact_email is missing"),
    ],
)
def test_registration_fields_are_checked(sandbox, company, field, value, refusal):
    answer = register(sandbox, company, **{field: value})
    assert answer.status_code == 200
    assert answer.text.startswith(refusal)


def test_an_unverified_company_may_not_register(sandbox):
    pending = sandbox.create_company(
        name="Odottava Oy", bid="7654321-8", country="FI", company_state="UNVERIFIED"
    )
    assert register(sandbox, pending, business_id="7654321-8").status_code == 403


def test_control_refuses_bad_settings(sandbox):
    with pytest.raises(ControlError):
        sandbox.payslip_settings(status_step_seconds=-1)
    with pytest.raises(ControlError):
        sandbox.payslip_settings(fail_next="many")
    assert sandbox.payslip_settings() == {"status_step_seconds": 2.0, "fail_next": 0}


def test_a_package_larger_than_djangos_form_limit_is_taken(sandbox, company, registered):
    # Incompressible, so that the form (base64) is well past Django's 2.5 MB default.
    big = make_zip(("big.pdf", b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024)))
    answer = send(sandbox, registered, data=big, filename="big.zip")
    assert answer.text == "OK: big.zip received, 1 letter"
