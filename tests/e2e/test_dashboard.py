"""The dashboard in Chromium: its SVG charts render with no Content-Security-Policy
violation, and a figure opens the filtered list behind it. A full-page screenshot is kept as
``test-artifacts/dashboard.png``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maventa_portal.core.roles import VIEWERS
from tests.factories import (
    DocumentFactory,
    MessageThreadFactory,
    PrintBatchFactory,
    SentInvoiceFactory,
    UserFactory,
    WebhookEventFactory,
)

pytestmark = [pytest.mark.browser]

PASSWORD = "browser-test-password-dashboard"  # noqa: S105 - a test user


@pytest.fixture
def activity():
    now = timezone.now()
    for days in range(0, 12, 2):
        SentInvoiceFactory(status="DELIVERED", sent_at=now - dt.timedelta(days=days))
        DocumentFactory(status="DELIVERED", sent_at=now - dt.timedelta(days=days + 1))
    SentInvoiceFactory(status="FAILED", number="INV-LOST", sent_at=now - dt.timedelta(days=3))
    SentInvoiceFactory(direction="RECEIVED", received_at=now - dt.timedelta(days=1))
    for hours in (1, 2, 2, 7, 30):
        WebhookEventFactory(received_at=now - dt.timedelta(hours=hours))
    WebhookEventFactory(state="FAILED", received_at=now - dt.timedelta(hours=5))
    PrintBatchFactory(status="ACCEPTED")
    PrintBatchFactory(status="FAILED")
    MessageThreadFactory(unread_count=2)


def test_the_dashboard_draws_its_charts_and_opens_a_figures_list(
    live_server, page, violations, keep_screenshot, activity
):
    UserFactory(username="dashboard-viewer", password=PASSWORD, staff=True, role=VIEWERS)
    url = f"{live_server.url}/portal/"

    page.goto(url)
    page.get_by_label("Username").fill("dashboard-viewer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url)

    sent = page.locator('figure[data-key="invoices_sent"] svg[role="img"]')
    expect(sent).to_be_visible()
    expect(sent).to_have_attribute("aria-label", re.compile(r"Invoices sent per day: 7 in all"))
    expect(sent.locator("rect.chart-s1").first).to_be_attached()
    # The colours come from dashboard.css: without it the bars would be drawn black.
    expect(sent.locator("rect.chart-s0").first).to_have_css("fill", "rgb(46, 125, 50)")
    expect(page.locator('figure[data-key="webhook_events"] svg[role="img"]')).to_be_visible()
    expect(page.locator('figure[data-key="print_batches"] svg[role="img"]')).to_be_visible()
    expect(page.locator("#maventa-connection")).to_be_visible()
    keep_screenshot("dashboard.png")

    page.get_by_role("link", name="7 days").click()
    expect(page.locator("#dashboard-title")).to_have_text("Last 7 days")

    page.locator('li[data-key="invoices_failed"] a').click()
    expect(page).to_have_url(
        re.compile(r"/portal/exchange/\?direction=SENT&status=FAILED&since=\d{4}-\d{2}-\d{2}$")
    )
    expect(page.get_by_text("INV-LOST")).to_be_visible()

    assert violations == []
