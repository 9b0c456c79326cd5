"""The Payslip (Direct Print) client: header credentials instead of a token, the exact form of
FIELDS.md section 11, refusals in a 200 answer, arguments refused before sending, no secret in
a repr or an error; and the whole round against the live sandbox."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import zipfile
from urllib.parse import parse_qsl

import pytest
from django.conf import settings

from maventa_portal.maventa_api import payslip
from maventa_portal.maventa_api.errors import Forbidden, Invalid, Unauthorized, Unavailable
from tests.maventa_api.offline import OFFLINE_BASE

INPUT = f"{OFFLINE_BASE}/payslip/input_public"
REGISTER = f"{OFFLINE_BASE}/payslip/register"
STATUS = f"{OFFLINE_BASE}/payslip/file_status"
PASSWORD = "direct-print-password"  # noqa: S105 - made up for the test
API_KEY = "user-api-key-of-the-company"
VENDOR_KEY = "the-partner-vendor-key"
ACCOUNT = payslip.PrintCredentials(payslip.ACCOUNT, username="dp1234", password=PASSWORD)
COMPANY = payslip.PrintCredentials(
    payslip.COMPANY, company_uuid="8a4a4a4e-0000-4000-8000-000000000001", user_api_key=API_KEY
)
ZIP = b"PK\x03\x04 a zip of letters"


def _form(call) -> dict[str, str]:
    assert call.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    return dict(parse_qsl(call.request.body))


def _send(api, **overrides):
    arguments = {"filename": "batch-1.zip", "data": ZIP, "sw_api_key": VENDOR_KEY, **overrides}
    return payslip.send_package(api, **arguments)


def test_the_package_travels_as_the_exact_form(http_mock, offline_client):
    http_mock.post(INPUT, body="OK: batch-1.zip received", content_type="text/plain")
    api = offline_client.payslip(COMPANY)

    receipt = _send(api, document_type="EPL", letter_class="economy", duplex=True, version="P 1")

    assert receipt == payslip.Receipt(text="OK: batch-1.zip received")
    (call,) = http_mock.calls
    digest = hashlib.sha1(ZIP).hexdigest()  # noqa: S324 - the checksum Maventa asks for
    assert _form(call) == {
        "filename": "batch-1.zip",
        "file": base64.b64encode(ZIP).decode(),
        "hash": digest,
        "zipHash": digest,
        "sw_api_key": VENDOR_KEY,
        "document_type": "EPL",
        "letter_class": "economy",
        "color_print": "false",
        "duplex": "true",
        "version": "P 1",
    }
    assert digest == digest.lower()


@pytest.mark.parametrize(
    ("credentials", "expected", "absent"),
    [
        (ACCOUNT, {"USERNAME": "dp1234", "USERPW": PASSWORD}, ("COMPANY-UUID", "USER-API-KEY")),
        (
            COMPANY,
            {"COMPANY-UUID": COMPANY.company_uuid, "USER-API-KEY": API_KEY},
            ("USERNAME", "USERPW"),
        ),
    ],
)
def test_each_scheme_sends_its_headers_and_no_token(
    http_mock, offline_client, credentials, expected, absent
):
    http_mock.post(INPUT, body="OK", content_type="text/plain")
    _send(offline_client.payslip(credentials))
    (call,) = http_mock.calls  # no token fetch before it
    headers = call.request.headers
    for name, value in expected.items():
        assert headers[name] == value
    for name in (*absent, "Authorization"):
        assert name not in headers


def test_a_200_not_ok_raises_send_refused_with_maventas_text(http_mock, offline_client):
    http_mock.post(INPUT, body="ERROR: hash mismatch", content_type="text/plain")
    with pytest.raises(payslip.SendRefused) as caught:
        _send(offline_client.payslip(ACCOUNT))
    assert caught.value.status == 200
    assert "ERROR: hash mismatch" in caught.value.staff_message
    assert "ERROR: hash mismatch" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "kind", "named"),
    [(401, Unauthorized, "Direct Print account"), (403, Forbidden, "Maventa account")],
)
def test_refused_credentials_are_named_not_resent_and_not_shown(
    http_mock, offline_client, status, kind, named, caplog
):
    caplog.set_level(logging.DEBUG)
    credentials = ACCOUNT if status == 401 else COMPANY
    http_mock.post(INPUT, status=status, json={"code": "unauthorized", "message": PASSWORD})
    with pytest.raises(kind) as caught:
        _send(offline_client.payslip(credentials))
    assert len(http_mock.calls) == 1
    assert named in caught.value.staff_message
    shown = " ".join([str(caught.value), repr(caught.value), caught.value.staff_message])
    for secret in (PASSWORD, API_KEY, VENDOR_KEY):
        assert secret not in shown
        assert secret not in caplog.text


def test_other_statuses_are_the_usual_errors(http_mock, offline_client):
    http_mock.post(INPUT, status=422, json={"code": "invalid", "message": "bad package"})
    with pytest.raises(Invalid):
        _send(offline_client.payslip(ACCOUNT))


def test_a_busy_service_is_not_resent_after_a_post(http_mock, offline_client):
    http_mock.post(INPUT, status=503)
    with pytest.raises(Unavailable):
        _send(offline_client.payslip(ACCOUNT))
    assert len(http_mock.calls) == 1


def test_a_status_query_is_asked_again_after_a_busy_answer(http_mock, offline_client, sleeps):
    http_mock.post(STATUS, status=503)
    http_mock.post(STATUS, json={"status": "SENT", "letters": 1})
    found = payslip.file_status(offline_client.payslip(ACCOUNT), filename="batch-1.zip")
    assert found.status == "SENT"
    assert len(http_mock.calls) == 2
    assert len(sleeps) == 1


def test_secrets_are_masked_in_reprs(offline_client):
    shown = " ".join(
        [repr(ACCOUNT), str(ACCOUNT), repr(COMPANY), repr(offline_client.payslip(COMPANY))]
    )
    assert PASSWORD not in shown
    assert API_KEY not in shown
    assert "dp1234" in repr(ACCOUNT)
    made = payslip.Registration(ok=True, text="OK", username="dp1", password=PASSWORD)
    assert PASSWORD not in repr(made)


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"filename": "batch.pdf"}, ".zip"),
        ({"filename": "dir/batch.zip"}, "path"),
        ({"filename": ""}, "file name is missing"),
        ({"data": b""}, "empty"),
        ({"data": b"%PDF-1.4"}, "not a zip"),
        ({"sw_api_key": ""}, "vendor API key is missing"),
        ({"document_type": "PDF"}, "PDFXML, EPL"),
        ({"letter_class": "Priority"}, "economy, priority"),
        ({"version": "v" * 300}, "longer than 255"),
    ],
)
def test_bad_arguments_are_refused_before_sending(http_mock, offline_client, overrides, said):
    with pytest.raises(Invalid) as caught:
        _send(offline_client.payslip(ACCOUNT), **overrides)
    assert said in caught.value.staff_message
    assert caught.value.status is None
    assert not http_mock.calls


def test_credentials_need_a_known_scheme_and_both_values():
    with pytest.raises(ValueError, match="scheme"):
        payslip.PrintCredentials("token", username="u", password=PASSWORD)
    with pytest.raises(ValueError, match="both"):
        payslip.PrintCredentials(payslip.COMPANY, company_uuid="x")


def test_register_sends_the_contact_form_and_reads_the_user_name(http_mock, offline_client):
    http_mock.post(
        REGISTER, json={"status": "OK", "message": "registered", "username": "dp1", "password": "m"}
    )
    made = payslip.register(
        offline_client.payslip(COMPANY),
        company_name="Testi Oy",
        business_id="1234567-1",
        contact_email="print@example.com",
    )
    assert (made.ok, made.username, made.password) == (True, "dp1", "m")
    assert _form(http_mock.calls[0]) == {
        "company_name": "Testi Oy",
        "business_id": "1234567-1",
        "contact_email": "print@example.com",
    }


def test_a_refused_registration_raises_with_the_text(http_mock, offline_client):
    http_mock.post(
        REGISTER, body="ERROR: business_id is not the company's", content_type="text/plain"
    )
    with pytest.raises(payslip.SendRefused, match="business_id"):
        payslip.register(
            offline_client.payslip(COMPANY),
            company_name="Testi Oy",
            business_id="7654321-8",
            contact_email="print@example.com",
        )


@pytest.mark.parametrize(
    ("answer", "status", "final", "letters"),
    [
        ({"json": {"status": "PRINTED", "letters": 3, "message": "printed"}}, "PRINTED", False, 3),
        ({"json": {"status": "SENT", "letters": "2"}}, "SENT", True, 2),
        ({"body": "ERROR: could not print", "content_type": "text/plain"}, "ERROR", True, None),
        ({"body": "RECEIVED, 4 letters", "content_type": "text/plain"}, "RECEIVED", False, 4),
    ],
)
def test_file_status_reads_json_or_text(http_mock, offline_client, answer, status, final, letters):
    http_mock.post(STATUS, **answer)
    found = payslip.file_status(offline_client.payslip(ACCOUNT), filename="batch-1.zip")
    assert (found.status, found.final, found.letters) == (status, final, letters)
    assert _form(http_mock.calls[0]) == {"filename": "batch-1.zip"}


def test_the_contract_reader_reads_every_payslip_path():
    from tests.contract.client_calls import call_sites

    found = {(c.method, c.template) for c in call_sites() if c.api == "payslip"}
    assert found == {("POST", "/register"), ("POST", "/input_public"), ("POST", "/file_status")}


def _letters_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", b"%PDF-1.4\n%%EOF\n")
        archive.writestr("b.pdf", b"%PDF-1.4\n%%EOF\n")
    return buffer.getvalue()


@pytest.mark.sandbox
def test_register_send_and_follow_against_the_sandbox(
    sandbox, maventa_client, sandbox_company, caplog
):
    caplog.set_level(logging.DEBUG)
    sandbox.payslip_settings(status_step_seconds=0)
    company = payslip.PrintCredentials(
        payslip.COMPANY,
        company_uuid=sandbox_company["company_id"],
        user_api_key=sandbox_company["api_key"],
    )
    made = payslip.register(
        maventa_client.payslip(company),
        company_name="Sandbox Oy",
        business_id="1234567-1",
        contact_email="print@example.com",
        password=PASSWORD,
    )
    account = payslip.PrintCredentials(payslip.ACCOUNT, username=made.username, password=PASSWORD)
    api = maventa_client.payslip(account)
    receipt = payslip.send_package(
        api, filename="round.zip", data=_letters_zip(), sw_api_key=settings.MAVENTA_VENDOR_API_KEY
    )
    assert receipt.text.startswith("OK")
    status = payslip.file_status(api, filename="round.zip")
    assert (status.status, status.final, status.letters) == ("SENT", True, 2)

    with pytest.raises(payslip.SendRefused, match="duplicate"):
        payslip.send_package(
            api,
            filename="round.zip",
            data=_letters_zip(),
            sw_api_key=settings.MAVENTA_VENDOR_API_KEY,
        )
    wrong = payslip.PrintCredentials(payslip.ACCOUNT, username=made.username, password="x" * 12)
    with pytest.raises(Unauthorized) as caught:
        payslip.file_status(maventa_client.payslip(wrong), filename="round.zip")
    assert "Direct Print account" in caught.value.staff_message
    for secret in (PASSWORD, sandbox_company["api_key"], settings.MAVENTA_VENDOR_API_KEY):
        assert secret not in caplog.text


@pytest.mark.sandbox
def test_a_failed_send_is_not_resent_and_a_failing_package_ends_in_error(
    sandbox, maventa_client, sandbox_company
):
    account = sandbox.payslip_account(sandbox_company["company_id"], password=PASSWORD)
    api = maventa_client.payslip(
        payslip.PrintCredentials(payslip.ACCOUNT, username=account["username"], password=PASSWORD)
    )
    sandbox.payslip_settings(status_step_seconds=0, fail_next=1)
    sandbox.script({"api": "payslip", "path": "/input_public", "status": 503})
    key = settings.MAVENTA_VENDOR_API_KEY
    with pytest.raises(Unavailable):
        payslip.send_package(api, filename="once.zip", data=_letters_zip(), sw_api_key=key)
    assert sandbox.payslip_packages(sandbox_company["company_id"]) == []
    payslip.send_package(api, filename="once.zip", data=_letters_zip(), sw_api_key=key)
    status = payslip.file_status(api, filename="once.zip")
    assert (status.status, status.final) == ("ERROR", True)
