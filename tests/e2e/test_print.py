"""Direct Print in Chromium: upload two PDF letters, land on the batch page, and follow its
status to final with "Check status now"; the Content-Security-Policy refuses nothing."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from exchange.services import printing
from maventa_portal.core.roles import OPERATORS
from tests.exchange.test_print_packages import make_pdf
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.slow]

PASSWORD = "browser-test-password-print"  # noqa: S105 - a test user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Packages are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


def test_staff_upload_two_letters_and_follow_the_batch(
    live_server, sandbox, make_company, page, sync_tasks
):
    """The task runs inline (``sync_tasks``) when the request's transaction commits."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    UserFactory(username="printer", password=PASSWORD, staff=True, role=OPERATORS)
    company = make_company(name="Kirjeet Oy")
    printing.register(company=company, scheme="company", contact_email="print@example.com")
    sandbox.payslip_settings(status_step_seconds=0.5)

    page.goto(f"{live_server.url}/portal/exchange/print/send/")
    page.get_by_label("Username").fill("printer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Company").select_option(str(company.pk))
    page.get_by_label("Letters").set_input_files(
        [
            {"name": "first.pdf", "mimeType": "application/pdf", "buffer": make_pdf()},
            {"name": "second.pdf", "mimeType": "application/pdf", "buffer": make_pdf(pages=2)},
        ]
    )
    page.get_by_label("Both sides (duplex)").check()
    page.get_by_role("button", name="Check and send").click()

    expect(page).to_have_url(re.compile(r"/portal/exchange/print/\d+/$"))
    expect(page.locator("#print-text")).to_contain_text("OK:")
    expect(page.locator("#print-entries")).to_contain_text("first.pdf")
    expect(page.locator("#print-entries")).to_contain_text("second.pdf")

    deadline = time.monotonic() + 30
    while not page.locator("#print-final").count():
        assert time.monotonic() < deadline, "the batch never became final"
        page.get_by_role("button", name="Check status now").click()
        page.wait_for_load_state("load")
    expect(page.locator("#print-status")).to_have_text("SENT")
    expect(page.locator("#print-history")).to_contain_text("RECEIVED")
    expect(page.get_by_role("button", name="Check status now")).to_have_count(0)
    assert violations == []
