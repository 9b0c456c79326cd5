"""Received invoices fetched from the sandbox over HTTP: windows, watermark, files, reruns."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from exchange.models import Attachment, Invoice, InvoiceAction, ReceiveWatermark
from exchange.services import received, receiving
from exchange.services.receiving import OVERLAP, sync_all_received, sync_received
from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.selectors import counts
from maventa_portal.core.models import AuditEntry, BulkItem, BulkRun
from maventa_portal.maventa_api import Unavailable

DAY = timedelta(days=1)


def incoming(sandbox, company, count, *, days=3, **options) -> list[dict]:
    """``count`` invoices received by ``company`` over the last ``days`` days, oldest first."""
    since = timezone.now() - timedelta(days=days)
    return sandbox.incoming(str(company.maventa_id), count=count, since=since, **options)


def sha256(field_file) -> str:
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def received_at(answer: dict):
    return parse_datetime(answer["received_at"])


def stored_ids(company) -> list[str]:
    return sorted(
        str(i) for i in Invoice.objects.filter(company=company).values_list("maventa_id", flat=True)
    )


def test_sync_brings_every_invoice_once_with_its_files_and_checksums(sandbox, make_company):
    company = make_company()
    made = incoming(sandbox, company, 40)

    result = sync_received(company=company)

    assert result.new == 40
    assert stored_ids(company) == sorted(invoice["id"] for invoice in made)
    for answer in made:
        invoice = Invoice.objects.get(maventa_id=answer["id"])
        assert invoice.direction == "RECEIVED"
        assert invoice.number == answer["number"]
        assert invoice.status == answer["status"]
        assert invoice.xml_checksum == sha256(invoice.xml)
        assert invoice.image, "every invoice has an image (the original or one generated)"
        assert invoice.summary["number"] == answer["number"], "the XML was read locally"
        assert invoice.error == ""
        assert invoice.actions.filter(type="RECEIVED", source="POLL").count() == 1
        # The XML and the original PDF are the invoice's own; every other file an attachment.
        others = [f for f in answer["files"] if f["filename"] not in ("invoice.xml", "invoice.pdf")]
        kept = invoice.attachments.order_by("filename")
        assert sorted(a.maventa_file_id for a in kept) == sorted(f["id"] for f in others)
        for attachment in kept:
            assert attachment.checksum == sha256(attachment.file)
            assert attachment.size == attachment.file.size
    assert Attachment.objects.count() > 0, "a quarter of the sandbox's invoices have one"


def test_the_xml_is_the_file_the_sender_sent(sandbox, make_company):
    company = make_company()
    (answer,) = incoming(sandbox, company, 1)
    xml_file = next(f for f in answer["files"] if f["filename"] == "invoice.xml")

    sync_received(company=company)

    path = f"GET /ax/v1/invoices/{answer['id']}/files/{xml_file['id']}"
    assert sandbox.requests_to(path) == 1
    invoice = Invoice.objects.get(maventa_id=answer["id"])
    assert invoice.xml.name.endswith(".xml")


def test_a_company_s_return_format_is_asked_for_instead(sandbox, make_company):
    company = make_company()
    ReceiveWatermark.objects.create(company=company, return_format="FINVOICE30")
    (answer,) = incoming(sandbox, company, 1, format="FINVOICE30")
    xml_file = next(f for f in answer["files"] if f["filename"] == "invoice.xml")

    sync_received(company=company)

    assert sandbox.requests_to(f"GET /ax/v1/invoices/{answer['id']}/files/{xml_file['id']}") == 0
    # The converted XML and the image: two answers of GET /v1/invoices/{id}?return_format=.
    assert sandbox.requests_to(f"GET /ax/v1/invoices/{answer['id']}") == 2
    assert Invoice.objects.get(maventa_id=answer["id"]).xml_checksum


def test_a_second_run_changes_nothing(sandbox, make_company):
    company = make_company()
    incoming(sandbox, company, 25)
    sync_received(company=company)
    before = {
        "invoices": list(Invoice.objects.values_list("pk", "updated_at")),
        "actions": InvoiceAction.objects.count(),
        "attachments": Attachment.objects.count(),
    }

    # From well before the watermark, so that every invoice is listed again.
    again = sync_received(company=company, since=timezone.now() - timedelta(days=4))

    assert (again.new, again.updated, again.unchanged) == (0, 0, 25)
    assert before == {
        "invoices": list(Invoice.objects.values_list("pk", "updated_at")),
        "actions": InvoiceAction.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def test_an_invoice_maventa_changed_is_mirrored_again(sandbox, make_company):
    company = make_company()
    (answer,) = incoming(sandbox, company, 1)
    sync_received(company=company)
    invoice = Invoice.objects.get(maventa_id=answer["id"])
    # As if stored before Maventa added its history: the next answer says something new.
    Invoice.objects.filter(pk=invoice.pk).update(raw={**invoice.raw, "actions": []})

    again = sync_received(company=company, since=timezone.now() - timedelta(days=4))

    assert (again.new, again.updated) == (0, 1)
    invoice.refresh_from_db()
    assert invoice.raw["actions"] == answer["actions"]
    assert invoice.actions.count() == 1, "each action kept once"
    assert invoice.attachments.count() == len(
        [f for f in answer["files"] if f["filename"] not in ("invoice.xml", "invoice.pdf")]
    )


def test_windows_are_a_day_at_most_and_the_empty_stretch_costs_one_call(sandbox, make_company):
    company = make_company()
    incoming(sandbox, company, 9, days=3)
    now = timezone.now()

    result = sync_received(company=company, until=now)

    # 30 days back for a company never fetched: one call finds the first invoice three days
    # ago, then three or four windows of a day up to now.
    assert result.windows in (3, 4)
    assert sandbox.requests_to("GET /ax/v1/invoices") == 1 + result.windows
    mark = ReceiveWatermark.objects.get(company=company)
    assert mark.received_until == now.replace(microsecond=0)
    assert mark.last_error == ""
    assert mark.last_run_at is not None


def test_the_next_run_starts_at_the_watermark_minus_the_overlap(sandbox, make_company, monkeypatch):
    company = make_company()
    mark_at = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    ReceiveWatermark.objects.create(company=company, received_until=mark_at)
    asked = []
    original = receiving._list

    def spy(api, start, end, page, per_page=receiving.PER_PAGE):
        asked.append((start, end))
        return original(api, start, end, page, per_page)

    monkeypatch.setattr(receiving, "_list", spy)

    sync_received(company=company)

    assert asked[0][0] == mark_at - OVERLAP
    assert len(asked) == 1, "two hours fit in one window: no probe, one page"


def test_the_watermark_stops_before_a_failed_window_and_a_rerun_completes(sandbox, make_company):
    company = make_company()
    made = incoming(sandbox, company, 30, days=3)
    # An invoice of the second day whose XML Maventa fails to give (500 is not retried).
    failing = made[15]
    sandbox.script({"method": "GET", "path": f"/v1/invoices/{failing['id']}/*", "status": 500})

    with pytest.raises(receiving.SyncIncomplete) as failure:
        sync_received(company=company)

    mark = ReceiveWatermark.objects.get(company=company)
    failed_at = received_at(failing)
    assert mark.received_until is not None, "the first day's window completed"
    assert mark.received_until <= failed_at, "not past the window that failed"
    assert mark.received_until > failed_at - 2 * DAY
    assert mark.last_error == failure.value.staff_message
    assert f"invoice {failing['number']}" in mark.last_error
    # The invoices after it were stored all the same: one invoice holds no other back.
    assert stored_ids(company) == sorted(i["id"] for i in made if i is not failing)

    again = sync_received(company=company)

    assert (again.new, again.updated) == (1, 0)
    assert stored_ids(company) == sorted(invoice["id"] for invoice in made)
    mark.refresh_from_db()
    assert mark.last_error == ""
    assert mark.received_until >= timezone.now() - timedelta(minutes=1)


def test_a_list_call_failing_stops_the_run_with_the_watermark_where_it_was(sandbox, make_company):
    company = make_company()
    made = incoming(sandbox, company, 30, days=3)
    # The probe and the first window's page are answered; the second window's page is not
    # (503 four times: the call and its three retries).
    sandbox.script(
        {"method": "GET", "path": "/v1/invoices", "hang_seconds": 0.001, "times": 2},
        {"method": "GET", "path": "/v1/invoices", "status": 503, "times": 4},
    )

    with pytest.raises(Unavailable):
        sync_received(company=company)

    mark = ReceiveWatermark.objects.get(company=company)
    first_day = [i["id"] for i in made if received_at(i) <= mark.received_until]
    assert 0 < len(first_day) < len(made)
    assert stored_ids(company) == sorted(first_day)
    assert "Maventa" in mark.last_error

    sync_received(company=company)

    assert stored_ids(company) == sorted(invoice["id"] for invoice in made)


@pytest.mark.slow
def test_errors_and_timeouts_end_after_reruns_with_every_invoice_once(
    sandbox, make_company, sync_tasks, settings
):
    companies = [make_company(country=("FI", "NO", "SE")[n % 3]) for n in range(4)]
    made = {c.pk: incoming(sandbox, c, 40, days=2) for c in companies}
    settings.MAVENTA_READ_TIMEOUT = 0.2
    sandbox.set_faults(
        seed=7, error_rate=0.1, error_statuses=[503, 500], hang_rate=0.03, hang_seconds=0.4
    )

    runs = []
    for _ in range(10):
        sync_all_received()
        runs.append(BulkRun.objects.filter(kind=receiving.SYNC_KIND).latest("pk"))
        if counts(runs[-1])["failed"] == 0:
            break

    assert any(counts(run)["failed"] for run in runs), "10% errors should fail some company"
    assert counts(runs[-1])["failed"] == 0
    sandbox.reset()
    for company in companies:
        assert stored_ids(company) == sorted(i["id"] for i in made[company.pk])
        for answer in made[company.pk]:
            others = [
                f for f in answer["files"] if f["filename"] not in ("invoice.xml", "invoice.pdf")
            ]
            invoice = Invoice.objects.get(maventa_id=answer["id"])
            assert invoice.attachments.count() == len(others)
            assert invoice.xml
            assert invoice.image
    assert Invoice.objects.count() == sum(len(v) for v in made.values())


def test_the_schedule_starts_one_run_over_the_companies_that_can_receive(
    sandbox, make_company, sync_tasks
):
    ready = [make_company(), make_company()]
    make_company(company_state="UNVERIFIED")
    incoming(sandbox, ready[0], 3)

    started = sync_all_received()

    run = BulkRun.objects.get(pk=started["run"])
    assert started["companies"] == 2
    assert sorted(run.items.values_list("object_id", flat=True)) == sorted(c.pk for c in ready)
    items = {item.object_id: item for item in run.items.all()}
    assert items[ready[0].pk].status == BulkItem.Status.DONE
    assert items[ready[0].pk].message == "3 new, 0 updated, 0 unchanged."
    assert items[ready[1].pk].message == "No new invoices (0 known)."
    assert not AuditEntry.objects.filter(event="invoices.sync_received").exists()


def test_the_schedule_does_nothing_while_a_sync_run_is_open(sandbox, make_company, monkeypatch):
    make_company()
    open_run = BulkRun.objects.create(kind=receiving.SYNC_KIND, title="Fetching")

    assert sync_all_received() == {"started": 0, "open_runs": 1}

    BulkRun.objects.filter(pk=open_run.pk).update(created_at=timezone.now() - timedelta(hours=2))
    monkeypatch.setattr(receiving, "start_sync_run", lambda **kwargs: open_run)
    assert sync_all_received()["started"] == 1, "a run open for hours no longer holds it back"


def test_one_company_failing_does_not_stop_the_others(sandbox, make_company, sync_tasks):
    good, bad = make_company(), make_company()
    incoming(sandbox, good, 2)
    bad.credential.delete()
    bad.refresh_from_db()

    run = receiving.start_sync_run(companies=[good, bad])

    items = {item.object_id: item for item in run.items.all()}
    assert items[good.pk].status == "done"
    assert items[bad.pk].status == "failed"
    assert "no stored API key" in items[bad.pk].message
    assert ReceiveWatermark.objects.get(company=bad).last_error == items[bad.pk].message


def test_a_staff_sync_is_audited(sandbox, make_company, operator):
    company = make_company()
    incoming(sandbox, company, 2)

    sync_received(company=company, actor=Actor(user=operator, via="portal"))

    entry = AuditEntry.objects.get(event="invoices.sync_received")
    assert entry.actor == operator
    assert entry.company_id == company.pk
    assert entry.reason == "2 new, 0 updated, 0 unchanged."


def test_an_xml_the_portal_cannot_read_is_noted_not_fatal(sandbox, make_company, monkeypatch):
    company = make_company()
    (answer,) = incoming(sandbox, company, 1)

    def unreadable(data):
        raise received.formats.UnknownFormat("The root element is not one the portal reads.")

    monkeypatch.setattr(received.formats, "parse", unreadable)

    result = sync_received(company=company)

    invoice = Invoice.objects.get(maventa_id=answer["id"])
    assert result.new == 1
    assert invoice.summary == {}
    assert invoice.error.startswith("The portal could not read the XML")
    assert invoice.xml_checksum


def test_maventa_down_leaves_the_watermark_and_records_why(sandbox, make_company):
    company = make_company()
    incoming(sandbox, company, 2)
    sandbox.set_faults(error_rate=1.0, paths=["/v1/invoices"])

    with pytest.raises(Unavailable):
        sync_received(company=company)

    mark = ReceiveWatermark.objects.get(company=company)
    assert mark.received_until is None
    assert "Maventa" in mark.last_error
    assert not Invoice.objects.exists()


def test_an_invoice_known_without_files_gets_them(sandbox, make_company):
    company = make_company()
    (answer,) = incoming(sandbox, company, 1)
    Invoice.objects.create(
        company=company, direction="RECEIVED", maventa_id=uuid.UUID(answer["id"])
    )

    result = sync_received(company=company)

    invoice = Invoice.objects.get(maventa_id=answer["id"])
    assert result.new == 1
    assert invoice.xml
    assert invoice.image
    assert invoice.number == answer["number"]
