"""Sending Direct Print packages from the staff pages against the sandbox: checked in the
request, queued with the package and sent once by the task worker, refusals shown with
Maventa's text, lost answers settled by the status poll."""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from companies.models import VendorKey
from exchange import tasks
from exchange.models import PrintBatch
from exchange.services import printing
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api import payslip
from tests.exchange.test_print_packages import make_pdf, make_zip

LETTER_ONE, LETTER_TWO = make_pdf(), make_pdf(pages=2)
PACKAGE = make_zip([("one.pdf", LETTER_ONE), ("two.pdf", LETTER_TWO)])


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Packages are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def print_company(make_company, sandbox):
    company = make_company()
    printing.register(company=company, scheme="company", contact_email="print@example.com")
    return company


def send_page(client, company, files, **extra):
    data = {
        "company": company.pk,
        "files": [SimpleUploadedFile(name, content) for name, content in files],
        "letter_class": "priority",
        "request_key": uuid.uuid4().hex,
        **extra,
    }
    return client.post(reverse("exchange:print_send"), data)


def sent_batch(response) -> PrintBatch:
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    return PrintBatch.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def poll_until_final(batch: PrintBatch, *, timeout: float = 20.0) -> PrintBatch:
    """Runs the schedule's task, the batch due each time, until Maventa calls it final."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        PrintBatch.objects.filter(pk=batch.pk).update(next_poll_at=timezone.now())
        tasks.poll_print_statuses()
        batch.refresh_from_db()
        if batch.final:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"{batch.filename} not final: {batch.status}")


def send_queued(company, package: bytes = PACKAGE, key: str = "") -> PrintBatch:
    batch, queued = printing.send(
        company=company,
        package=printing.build_package(uploads=[("letters.zip", package)]),
        options=printing.PrintOptions(),
        request_key=key or uuid.uuid4().hex,
    )
    assert queued
    return batch


def test_two_pdfs_are_packed_sent_and_followed_to_final(
    operator_client, print_company, sandbox, sync_tasks
):
    sandbox.payslip_settings(status_step_seconds=0.3)

    batch = sent_batch(
        send_page(
            operator_client,
            print_company,
            [("one.pdf", LETTER_ONE), ("two.pdf", LETTER_TWO)],
            duplex="on",
        )
    )
    page = operator_client.get(reverse("exchange:print_detail", args=[batch.pk])).content.decode()
    poll_until_final(batch)

    assert batch.filename.endswith(".zip")
    assert (batch.letters, batch.document_type, batch.duplex) == (2, "PDFXML", True)
    assert batch.sent_by.username == "olga-operator"
    assert "OK:" in page
    assert 'id="print-check"' in page
    assert batch.status == "SENT"
    statuses = [entry["status"] for entry in batch.history]
    assert statuses[:3] == ["QUEUED", "SENDING", "ACCEPTED"]
    assert statuses[-1] == "SENT"
    assert all(a != b for a, b in zip(statuses, statuses[1:], strict=False))
    assert batch.next_poll_at is None
    assert len(sandbox.payslip_packages(str(print_company.maventa_id))) == 1


def test_an_uploaded_zip_is_sent_as_it_is(operator_client, print_company, sandbox, sync_tasks):
    batch = sent_batch(send_page(operator_client, print_company, [("letters.zip", PACKAGE)]))

    assert batch.checksum == hashlib.sha1(PACKAGE).hexdigest()  # noqa: S324 - Maventa's checksum
    assert batch.entries == ["one.pdf", "two.pdf"]
    assert batch.status == PrintBatch.Status.ACCEPTED


def test_history_gains_an_entry_only_on_change_and_polls_back_off(print_company, sandbox):
    sandbox.payslip_settings(status_step_seconds=3600)
    batch = send_queued(print_company)
    tasks.send_print_batch(batch.pk)
    batch.refresh_from_db()

    printing.refresh_status(batch=batch)
    first_wait = batch.next_poll_at - batch.polled_at
    printing.refresh_status(batch=batch)
    second_wait = batch.next_poll_at - batch.polled_at

    assert [entry["status"] for entry in batch.history] == [
        "QUEUED",
        "SENDING",
        "ACCEPTED",
        "RECEIVED",
    ]
    assert not batch.final
    assert second_wait > first_wait


def test_a_package_that_fails_printing_ends_in_error(
    operator_client, print_company, sandbox, sync_tasks
):
    sandbox.payslip_settings(status_step_seconds=0, fail_next=1)
    batch = sent_batch(send_page(operator_client, print_company, [("letters.zip", PACKAGE)]))

    poll_until_final(batch)

    assert batch.status == "ERROR"
    assert "Printing failed" in batch.maventa_text


def test_a_200_not_ok_is_a_failed_batch_with_maventas_text(
    operator_client, print_company, sandbox, sync_tasks
):
    other = VendorKey(name="Unknown to Maventa")
    other.set_key("vendor-key-maventa-never-saw")
    other.save()
    print_company.vendor_key = other
    print_company.save()

    response = send_page(operator_client, print_company, [("letters.zip", PACKAGE)])
    batch = sent_batch(response)
    page = operator_client.get(response["Location"]).content.decode()

    assert batch.status == PrintBatch.Status.FAILED
    assert batch.final
    assert "ERROR: unknown sw_api_key" in batch.maventa_text
    assert "ERROR: unknown sw_api_key" in page
    assert "vendor-key-maventa-never-saw" not in page
    assert not batch.package
    entry = AuditEntry.objects.get(event="print.send")
    assert (entry.outcome, entry.reason) == (AuditEntry.Outcome.DONE, "queued")
    assert "vendor-key-maventa-never-saw" not in str(entry.asked) + entry.reason


def test_the_same_package_again_needs_confirmation(
    operator_client, print_company, sandbox, sync_tasks
):
    first = sent_batch(send_page(operator_client, print_company, [("letters.zip", PACKAGE)]))

    refused = send_page(operator_client, print_company, [("again.zip", PACKAGE)])
    confirmed = send_page(
        operator_client, print_company, [("again.zip", PACKAGE)], confirm_duplicate="on"
    )

    assert refused.status_code == HTTPStatus.OK
    page = refused.content.decode()
    assert 'id="duplicate-warning"' in page
    assert first.filename in page
    assert "olga-operator" in page
    second = sent_batch(confirmed)
    assert second.checksum == first.checksum
    assert PrintBatch.objects.count() == 2
    assert len(sandbox.payslip_packages(str(print_company.maventa_id))) == 2


def test_a_double_submit_sends_once(operator_client, print_company, sandbox, sync_tasks):
    key = uuid.uuid4().hex

    first = sent_batch(
        send_page(operator_client, print_company, [("a.zip", PACKAGE)], request_key=key)
    )
    again = send_page(operator_client, print_company, [("a.zip", PACKAGE)], request_key=key)

    assert sent_batch(again) == first
    followed = operator_client.get(again["Location"]).content.decode()
    assert "nothing was sent again" in followed
    assert PrintBatch.objects.count() == 1
    assert sandbox.requests_to("POST /payslip/input_public") == 1


def test_refusals_of_the_package_are_listed_entry_by_entry(operator_client, print_company, sandbox):
    response = send_page(
        operator_client,
        print_company,
        [("letter.pdf", b"not a pdf at all"), ("run.exe", b"MZ\x90\x00program")],
    )

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'id="package-refusals"' in page
    assert "letter.pdf:" in page
    assert "run.exe:" in page
    assert not PrintBatch.objects.exists()
    assert sandbox.requests_to("POST /payslip/input_public") == 0


def _wait_for_package(sandbox, company, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sandbox.payslip_packages(str(company.maventa_id)):
            return
        time.sleep(0.1)
    raise AssertionError("the sandbox never stored the package")


def test_a_lost_answer_is_unknown_then_settled_by_the_poll(
    operator_client, print_company, sandbox, sync_tasks, monkeypatch
):
    monkeypatch.setattr(payslip, "SEND_TIMEOUT", (5.0, 0.5))
    sandbox.script(
        {"api": "payslip", "path": "/input_public", "method": "POST", "hang_seconds": 1.5}
    )

    response = send_page(operator_client, print_company, [("letters.zip", PACKAGE)])
    batch = sent_batch(response)
    assert batch.status == PrintBatch.Status.UNKNOWN
    assert not batch.final
    assert "never sends it again" in operator_client.get(response["Location"]).content.decode()
    _wait_for_package(sandbox, print_company)

    poll_until_final(batch)

    assert batch.status == "SENT"
    assert sandbox.requests_to("POST /payslip/input_public") == 1


def test_a_send_maventa_never_got_is_failed_by_the_poll_once_it_cannot_arrive(
    operator_client, print_company, sandbox, sync_tasks, monkeypatch
):
    monkeypatch.setattr(payslip, "SEND_TIMEOUT", (5.0, 0.5))
    sandbox.script(
        {
            "api": "payslip",
            "path": "/input_public",
            "method": "POST",
            "hang_seconds": 0.8,
            "drop": True,
        }
    )
    batch = sent_batch(send_page(operator_client, print_company, [("letters.zip", PACKAGE)]))
    assert batch.status == PrintBatch.Status.UNKNOWN
    check = operator_client.post(reverse("exchange:print_check", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.status == PrintBatch.Status.UNKNOWN
    assert printing.NOT_THERE_YET.format(filename=batch.filename) in check.content.decode()
    monkeypatch.setattr(printing, "NOT_FOUND_GRACE", timedelta(0))

    poll_until_final(batch)

    assert batch.status == PrintBatch.Status.FAILED
    assert "was not received" in batch.maventa_text
    assert not sandbox.payslip_packages(str(print_company.maventa_id))


def test_check_status_now_is_audited(operator_client, print_company, sandbox, sync_tasks):
    sandbox.payslip_settings(status_step_seconds=0)
    batch = sent_batch(send_page(operator_client, print_company, [("letters.zip", PACKAGE)]))

    response = operator_client.post(reverse("exchange:print_check", args=[batch.pk]), follow=True)

    batch.refresh_from_db()
    assert batch.status == "SENT"
    assert 'id="print-final"' in response.content.decode()
    entry = AuditEntry.objects.get(event="print.check_status")
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.company_id == print_company.pk
    sent = AuditEntry.objects.get(event="print.send")
    assert sent.actor_id == batch.sent_by_id
    assert sent.asked["checksum"] == batch.checksum
    assert sent.asked["letter_class"] == "priority"


def test_a_viewer_can_read_but_not_send_or_check(viewer_client, print_company, sandbox):
    batch = send_queued(print_company)

    listing = viewer_client.get(reverse("exchange:print_list"))
    page = viewer_client.get(reverse("exchange:print_detail", args=[batch.pk]))
    send = send_page(viewer_client, print_company, [("letters.zip", PACKAGE)])
    check = viewer_client.post(reverse("exchange:print_check", args=[batch.pk]))

    assert listing.status_code == HTTPStatus.OK
    assert batch.filename in listing.content.decode()
    assert 'id="print-check"' not in page.content.decode()
    assert send.status_code == HTTPStatus.FORBIDDEN
    assert check.status_code == HTTPStatus.FORBIDDEN
    assert PrintBatch.objects.count() == 1
    assert sandbox.requests_to("POST /payslip/file_status") == 0


def test_the_list_filters_by_company_and_status(operator_client, print_company, make_company):
    from tests.factories import PrintBatchFactory

    other = make_company()
    PrintBatchFactory(company=print_company, filename="mine-accepted.zip", status="ACCEPTED")
    PrintBatchFactory(company=print_company, filename="mine-failed.zip", status="FAILED")
    PrintBatchFactory(company=other, filename="theirs.zip", status="ACCEPTED")

    url = reverse("exchange:print_list")
    mine = operator_client.get(url, {"company": print_company.pk}).content.decode()
    failed = operator_client.get(url, {"status": "FAILED"}).content.decode()

    assert "mine-accepted.zip" in mine
    assert "theirs.zip" not in mine
    assert "mine-failed.zip" in failed
    assert "mine-accepted.zip" not in failed
