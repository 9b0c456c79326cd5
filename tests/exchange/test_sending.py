"""Sending invoices from the staff pages against the sandbox: read, checked, sent once."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.models import Invoice
from exchange.services import sending
from maventa_portal.core.models import AuditEntry
from tests.exchange.formats.samples import our_sample, peppol_sample

pytestmark = pytest.mark.sandbox


def _upload(client, company, xml: bytes, name: str = "invoice.xml", **extra):
    return client.post(
        reverse("exchange:send"),
        {"company": company.pk, "xml": SimpleUploadedFile(name, xml, "application/xml"), **extra},
    )


def _draft(client, company, xml: bytes) -> Invoice:
    response = _upload(client, company, xml)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return Invoice.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def test_upload_shows_the_invoice_checks_and_sends_on_confirm(
    operator_client, make_company, sandbox
):
    company = make_company()

    draft = _draft(operator_client, company, peppol_sample("base-example.xml"))
    page = operator_client.get(reverse("exchange:detail", args=[draft.pk])).content.decode()
    response = operator_client.post(reverse("exchange:confirm_send", args=[draft.pk]))

    assert draft.status == Invoice.Status.DRAFT
    assert "Snippet1" in page
    assert "1656.25" in page
    assert 'id="confirm-send"' in page
    assert "validation-ok" in page or "validation-findings" in page
    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.status in (Invoice.Status.PENDING, Invoice.Status.DELIVERED)
    assert str(draft.maventa_id) == str(draft.send_uuid)
    assert len(sandbox.invoices_of(str(company.maventa_id), direction="SENT")) == 1
    events = set(AuditEntry.objects.filter(company=company).values_list("event", flat=True))
    assert {"invoice.prepare", "invoice.send"} <= events


def test_a_second_confirm_sends_nothing_more(operator_client, make_company, sandbox):
    company = make_company()
    draft = _draft(operator_client, company, peppol_sample("base-example.xml"))
    url = reverse("exchange:confirm_send", args=[draft.pk])

    operator_client.post(url)
    second = operator_client.post(url, follow=True)

    assert "was sent already" in second.content.decode()
    assert len(sandbox.invoices_of(str(company.maventa_id), direction="SENT")) == 1


def test_the_same_file_again_needs_the_resend_tick(operator_client, make_company, sandbox):
    company = make_company()
    first = _draft(operator_client, company, our_sample("finvoice30-simple.xml"))
    operator_client.post(reverse("exchange:confirm_send", args=[first.pk]))
    again = _draft(operator_client, company, our_sample("finvoice30-simple.xml"))

    page = operator_client.get(reverse("exchange:detail", args=[again.pk])).content.decode()
    refused = operator_client.post(reverse("exchange:confirm_send", args=[again.pk]), follow=True)
    sent = operator_client.post(reverse("exchange:confirm_send", args=[again.pk]), {"resend": "on"})

    assert 'id="duplicate-warning"' in page
    assert "Tick “Send it again”" in refused.content.decode()
    assert sent.status_code == HTTPStatus.FOUND
    again.refresh_from_db()
    assert again.status != Invoice.Status.DRAFT
    assert len(sandbox.invoices_of(str(company.maventa_id), direction="SENT")) == 2


def test_an_order_is_refused_with_the_way_to_send_it(operator_client, make_company, sandbox):
    company = make_company()

    response = _upload(operator_client, company, our_sample("peppol-bis3-order.xml"))

    assert response.status_code == HTTPStatus.OK
    assert "Send it as a document instead" in response.content.decode()
    assert not Invoice.objects.exists()


def test_an_unverified_company_cannot_send(operator_client, make_company, sandbox):
    company = make_company(company_state="UNVERIFIED")

    response = _upload(operator_client, company, peppol_sample("base-example.xml"))

    assert response.status_code == HTTPStatus.OK
    assert not Invoice.objects.exists()
    assert sandbox.stats()["requests"].get("POST /ax/v1/invoices", 0) == 0


def test_a_lost_answer_leaves_one_invoice_at_maventa(
    operator_client, make_company, sandbox, settings
):
    company = make_company()
    draft = _draft(operator_client, company, peppol_sample("base-example.xml"))
    settings.MAVENTA_READ_TIMEOUT = 0.4
    sandbox.script({"path": "/v1/invoices", "method": "POST", "hang_seconds": 1.0})

    operator_client.post(reverse("exchange:confirm_send", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.UNKNOWN
    settings.MAVENTA_READ_TIMEOUT = 30
    _wait_for_sandbox_invoice(sandbox, company)

    sending.reconcile(invoice=draft)

    draft.refresh_from_db()
    assert draft.status in (Invoice.Status.PENDING, Invoice.Status.DELIVERED)
    assert len(sandbox.invoices_of(str(company.maventa_id), direction="SENT")) == 1
    assert sandbox.requests_to("POST /ax/v1/invoices") == 1


def test_a_send_maventa_never_got_is_sent_again_once(
    operator_client, make_company, sandbox, settings
):
    company = make_company()
    draft = _draft(operator_client, company, peppol_sample("base-example.xml"))
    settings.MAVENTA_READ_TIMEOUT = 0.3
    sandbox.script({"path": "/v1/invoices", "method": "POST", "drop": True, "hang_seconds": 0.5})
    operator_client.post(reverse("exchange:confirm_send", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.UNKNOWN
    settings.MAVENTA_READ_TIMEOUT = 30

    sending.reconcile(invoice=draft)
    sending.reconcile(invoice=draft)

    draft.refresh_from_db()
    assert draft.status in (Invoice.Status.PENDING, Invoice.Status.DELIVERED)
    assert len(sandbox.invoices_of(str(company.maventa_id), direction="SENT")) == 1


def test_files_are_served_as_downloads_no_browser_runs(operator_client, make_company, sandbox):
    company = make_company()
    draft = _draft(operator_client, company, peppol_sample("base-example.xml"))

    response = operator_client.get(reverse("exchange:file", args=[draft.pk, "xml"]))

    assert response.status_code == HTTPStatus.OK
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment")


def test_a_viewer_sees_the_invoice_but_not_the_send_button(
    viewer_client, operator_client, make_company, sandbox
):
    company = make_company()
    draft = _draft(operator_client, company, peppol_sample("base-example.xml"))

    page = viewer_client.get(reverse("exchange:detail", args=[draft.pk])).content.decode()

    assert "Snippet1" in page
    assert 'id="confirm-send"' not in page


def _wait_for_sandbox_invoice(sandbox, company, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sandbox.invoices_of(str(company.maventa_id), direction="SENT"):
            return
        time.sleep(0.2)
    raise AssertionError("The sandbox never stored the send")
