"""The scheduled Direct Print poll: bounded per run, the longest unpolled first, only batches
that are due and not final, and one failing batch does not stop the others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exchange import tasks
from exchange.models import PrintBatch
from exchange.services import printing
from tests.exchange.test_print_packages import make_pdf, make_zip
from tests.factories import PrintBatchFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Packages are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def batches(make_company, sandbox):
    """Three sent packages of one company, due now, their statuses still moving."""
    sandbox.payslip_settings(status_step_seconds=3600)
    company = make_company()
    printing.register(company=company, scheme="company", contact_email="print@example.com")
    sent = []
    for n in range(3):
        package = printing.build_package(
            uploads=[(f"l{n}.zip", make_zip([("a.pdf", make_pdf(pages=n + 1))]))]
        )
        batch, _ = printing.send(
            company=company, package=package, options=printing.PrintOptions(), request_key=f"k{n}"
        )
        tasks.send_print_batch(batch.pk)
        sent.append(batch)
    PrintBatch.objects.update(next_poll_at=timezone.now() - timedelta(seconds=1))
    return sent


def test_a_run_is_bounded_and_the_longest_unpolled_go_first(batches):
    first = printing.poll_status(limit=2)
    PrintBatch.objects.update(next_poll_at=timezone.now() - timedelta(seconds=1))
    second = printing.poll_status(limit=1)

    polled = {batch.pk: batch.polled_at for batch in PrintBatch.objects.all()}
    assert first["polled"] == 2
    assert second["polled"] == 1
    assert all(polled.values())
    assert polled[batches[2].pk] > polled[batches[0].pk]
    assert polled[batches[2].pk] > polled[batches[1].pk]


def test_batches_not_due_or_final_are_left_alone(batches, sandbox):
    PrintBatch.objects.filter(pk=batches[0].pk).update(final=True, next_poll_at=None)
    PrintBatch.objects.filter(pk=batches[1].pk).update(
        next_poll_at=timezone.now() + timedelta(minutes=5)
    )

    counts = tasks.poll_print_statuses()

    assert counts["polled"] == 1
    assert sandbox.requests_to("POST /payslip/file_status") == 1
    assert PrintBatch.objects.get(pk=batches[2].pk).status == "RECEIVED"


def test_a_batch_that_cannot_be_polled_does_not_stop_the_others(batches, make_company):
    stranger = PrintBatchFactory(company=make_company(), next_poll_at=timezone.now())

    counts = printing.poll_status()

    stranger.refresh_from_db()
    assert counts["errors"] == 1
    assert counts["polled"] == 3
    assert stranger.next_poll_at > timezone.now()
    assert stranger.history == []
