"""Sending an invoice in Chromium: upload, read it as the recipient will, validate, send, and
see Maventa's status move."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exchange.models import Invoice
from maventa_portal.core.roles import OPERATORS
from tests.exchange.formats.samples import PEPPOL_SAMPLES
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.slow]

PASSWORD = "browser-test-password-1"  # noqa: S105 - a test user


def test_staff_upload_check_send_and_follow_an_invoice(live_server, sandbox, make_company, page):
    UserFactory(username="sender", password=PASSWORD, staff=True, role=OPERATORS)
    company = make_company(name="Lähettäjä Oy")
    sandbox.set_exchange(invoice_delivery_seconds=60)

    page.goto(f"{live_server.url}/portal/exchange/send/")
    page.get_by_label("Username").fill("sender")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Company").select_option(str(company.pk))
    page.get_by_label("Invoice XML").set_input_files(str(PEPPOL_SAMPLES / "base-example.xml"))
    page.get_by_role("button", name="Read and check").click()

    expect(page).to_have_url(re.compile(r"/portal/exchange/invoices/\d+/$"))
    paper = page.locator(".invoice-paper")
    expect(paper).to_contain_text("Snippet1")
    expect(paper.locator(".invoice-paper__payable")).to_contain_text("1656.25")
    expect(page.locator("#send-checks")).to_contain_text("Validator")
    expect(page.locator("#invoice-status")).to_have_text("Draft (not sent)")

    page.get_by_role("button", name="Send to Maventa").click()
    expect(page.locator("#invoice-status")).to_have_text("Pending")

    # Maventa delivers it (the sandbox is told to now rather than in a minute).
    sent = Invoice.objects.get()
    sandbox.set_invoice(str(sent.maventa_id), status="DELIVERED")
    page.get_by_role("button", name="Refresh from Maventa").click()
    expect(page.locator("#invoice-status")).to_have_text("Delivered")
    expect(page.locator("#actions")).to_contain_text("Delivered")
