"""Direct Print packages leave through the task worker: the request queues the batch with its
zip, the task sends it once whatever runs it twice, a lost task is queued again by the poll,
and the zip (payslips are personal data) is deleted once the batch is final."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from http import HTTPStatus
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_q.brokers import get_broker
from pypdf import PdfWriter

from exchange import tasks
from exchange.models import PrintBatch
from exchange.services import printing
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api import payslip
from tests.exchange.test_print_packages import make_zip
from tests.exchange.test_print_sending import (
    PACKAGE,
    poll_until_final,
    send_page,
    send_queued,
    sent_batch,
)

SENDS = "POST /payslip/input_public"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Packages are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def print_company(make_company, sandbox):
    company = make_company()
    printing.register(company=company, scheme="company", contact_email="print@example.com")
    return company


def big_pdf(size: int) -> bytes:
    """A valid PDF carrying ``size`` random bytes (incompressible) as an attachment."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("padding.bin", os.urandom(size))
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def queued() -> int:
    """Tasks waiting for the default cluster, on whichever broker is configured (ORM or Redis)."""
    return get_broker().queue_size()


@pytest.fixture(autouse=True)
def empty_queue():
    get_broker().purge_queue()
    yield
    get_broker().purge_queue()


def test_the_request_queues_the_package_and_the_task_sends_it(
    operator_client, operator, print_company, sandbox
):
    response = send_page(operator_client, print_company, [("letters.zip", PACKAGE)])
    batch = sent_batch(response)
    page = operator_client.get(response["Location"]).content.decode()

    assert batch.status == PrintBatch.Status.QUEUED
    assert 'id="print-queued"' in page
    assert "is queued" in page
    assert 'id="print-check"' not in page
    assert default_storage.open(batch.package.name).read() == PACKAGE
    assert sandbox.requests_to(SENDS) == 0
    assert queued() == 1
    entry = AuditEntry.objects.get(event="print.send")
    assert (entry.outcome, entry.reason) == (AuditEntry.Outcome.DONE, "queued")
    assert entry.actor_id == operator.pk

    assert tasks.send_print_batch(batch.pk) == PrintBatch.Status.ACCEPTED

    batch.refresh_from_db()
    assert batch.maventa_text.startswith("OK")
    assert [entry["status"] for entry in batch.history] == ["QUEUED", "SENDING", "ACCEPTED"]
    assert batch.sent_at is not None
    assert len(sandbox.payslip_packages(str(print_company.maventa_id))) == 1


def test_a_task_run_twice_sends_once(print_company, sandbox):
    batch = send_queued(print_company)

    first = tasks.send_print_batch(batch.pk)
    second = tasks.send_print_batch(batch.pk)

    assert (first, second) == (PrintBatch.Status.ACCEPTED, "not queued")
    assert sandbox.requests_to(SENDS) == 1


def test_a_queued_batch_whose_task_was_lost_is_queued_again_by_the_poll(
    print_company, sandbox, monkeypatch
):
    batch = send_queued(print_company)
    get_broker().purge_queue()  # the broker lost the task
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)

    early = printing.poll_status()
    batch.refresh_from_db()
    assert (early["requeued"], batch.status) == (0, PrintBatch.Status.QUEUED)
    assert sandbox.requests_to(SENDS) == 0

    PrintBatch.objects.filter(pk=batch.pk).update(
        next_poll_at=timezone.now() - timedelta(seconds=1)
    )
    later = tasks.poll_print_statuses()

    batch.refresh_from_db()
    assert later["requeued"] == 1
    assert batch.status == PrintBatch.Status.ACCEPTED
    assert sandbox.requests_to(SENDS) == 1


def test_a_large_package_is_sent_by_the_task_whatever_the_request_deadline(
    operator_client, print_company, sandbox, sync_tasks, settings
):
    settings.MAVENTA_INTERACTIVE_DEADLINE = 0.05
    package = make_zip([("payslips.pdf", big_pdf(3 * 1024 * 1024))])

    batch = sent_batch(send_page(operator_client, print_company, [("payslips.zip", package)]))

    assert batch.size == len(package) > 3 * 1024 * 1024
    assert batch.status == PrintBatch.Status.ACCEPTED
    stored = sandbox.payslip_packages(str(print_company.maventa_id))
    assert len(stored) == 1


def test_the_zip_is_deleted_once_final_and_what_it_held_stays(
    operator_client, print_company, sandbox, sync_tasks
):
    sandbox.payslip_settings(status_step_seconds=0)
    batch = sent_batch(send_page(operator_client, print_company, [("letters.zip", PACKAGE)]))
    name = batch.package.name
    assert default_storage.exists(name)

    poll_until_final(batch)

    page = operator_client.get(reverse("exchange:print_detail", args=[batch.pk])).content.decode()
    assert batch.status == "SENT"
    assert not batch.package
    assert not default_storage.exists(name)
    assert (batch.size, batch.entries) == (len(PACKAGE), ["one.pdf", "two.pdf"])
    assert batch.checksum in page
    assert "deleted once final" in page


def test_a_batch_whose_zip_is_missing_fails_without_sending(print_company, sandbox):
    batch = send_queued(print_company)
    default_storage.delete(batch.package.name)

    assert tasks.send_print_batch(batch.pk) == PrintBatch.Status.FAILED

    batch.refresh_from_db()
    assert batch.final
    assert "no longer stored" in batch.maventa_text
    assert sandbox.requests_to(SENDS) == 0


def test_check_status_now_on_a_queued_batch_says_it_has_not_left(
    operator_client, print_company, sandbox
):
    batch = sent_batch(
        send_page(operator_client, print_company, [("letters.zip", PACKAGE)], request_key="q")
    )

    response = operator_client.post(reverse("exchange:print_check", args=[batch.pk]), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert "has not left yet" in response.content.decode()
    assert sandbox.requests_to("POST /payslip/file_status") == 0
    batch.refresh_from_db()
    assert batch.status == PrintBatch.Status.QUEUED


def test_a_double_submit_queues_once(operator_client, print_company, sandbox):
    key = uuid.uuid4().hex

    first = sent_batch(
        send_page(operator_client, print_company, [("a.zip", PACKAGE)], request_key=key)
    )
    again = sent_batch(
        send_page(operator_client, print_company, [("a.zip", PACKAGE)], request_key=key)
    )

    assert again == first
    assert queued() == 1


def test_a_lost_answer_after_a_long_wait_in_the_queue_is_not_called_not_received_yet(
    print_company, sandbox, monkeypatch
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
    batch = send_queued(print_company)
    PrintBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert tasks.send_print_batch(batch.pk) == PrintBatch.Status.UNKNOWN
    batch.refresh_from_db()
    with pytest.raises(PortalError, match="asks again"):
        printing.refresh_status(batch=batch)

    batch.refresh_from_db()
    assert (batch.status, batch.final) == (PrintBatch.Status.UNKNOWN, False)
