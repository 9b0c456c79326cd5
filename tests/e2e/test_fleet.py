"""The fleet view in Chromium: rows needing attention stand out and say why, a heading sorts
by its figure, a filter narrows the rows, and the page breaks no Content-Security-Policy
rule. A full-page screenshot is kept as ``test-artifacts/fleet.png``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maventa_portal.core.roles import VIEWERS
from tests.factories import (
    CompanyFactory,
    MessageThreadFactory,
    NetworkProfileFactory,
    ReceivablesActivationFactory,
    SentInvoiceFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

PASSWORD = "browser-test-password-fleet"  # noqa: S105 - a test user


@pytest.fixture
def fleet():
    now = timezone.now()
    calm = CompanyFactory(name="Aalto Oy", verified=True)
    NetworkProfileFactory(company=calm, network="PEPPOL", status="active")
    SentInvoiceFactory(company=calm, sent_at=now - dt.timedelta(days=2))
    SentInvoiceFactory(company=calm, direction="RECEIVED", received_at=now - dt.timedelta(hours=3))
    ReceivablesActivationFactory(company=calm)
    failing = CompanyFactory(name="Bitti Oy", verified=True)
    NetworkProfileFactory(company=failing, network="VISMA", status="active")
    for hours in (1, 5, 30):
        SentInvoiceFactory(
            company=failing,
            status="FAILED",
            sent_at=now - dt.timedelta(hours=hours),
            status_changed_at=now - dt.timedelta(hours=hours),
        )
    unread = CompanyFactory(name="Cello Oy", verified=True)
    NetworkProfileFactory(company=unread, network="PEPPOL", status="active")
    MessageThreadFactory(company=unread, unread_count=4)
    CompanyFactory(name="Delta Oy", company_state="UNVERIFIED")
    return {"calm": calm, "failing": failing, "unread": unread}


def _names(page) -> list[str]:
    return page.locator("#companies tbody tr td:first-child a").all_inner_texts()


def test_sort_filter_and_see_what_needs_attention(
    live_server, page, violations, keep_screenshot, fleet
):
    UserFactory(username="fleet-viewer", password=PASSWORD, staff=True, role=VIEWERS)
    url = f"{live_server.url}/portal/companies/"

    page.goto(url)
    page.get_by_label("Username").fill("fleet-viewer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url)

    failing = page.locator(f'#companies tr[data-company="{fleet["failing"].pk}"]')
    calm = page.locator(f'#companies tr[data-company="{fleet["calm"].pk}"]')
    expect(failing).to_have_class(re.compile(r"\bfleet-row--attention\b"))
    expect(failing).to_contain_text("Needs attention: failed sends")
    expect(calm).not_to_have_class(re.compile(r"\bfleet-row--attention\b"))
    # The colour comes from the stylesheet, not from the markup.
    expect(failing.locator("td").first).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    expect(failing.get_by_role("link", name="3", exact=True)).to_have_attribute(
        "href", f"/portal/exchange/?company={fleet['failing'].pk}&status=FAILED"
    )
    keep_screenshot("fleet.png")

    page.get_by_role("link", name="Failed (7 days)").click()
    expect(page).to_have_url(re.compile(r"sort=failures"))
    page.get_by_role("link", name="Failed (7 days)").click()
    expect(page).to_have_url(re.compile(r"sort=-failures"))
    assert _names(page)[0] == "Bitti Oy"

    page.get_by_label("Unread messages").select_option("yes")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"unread=yes"))
    assert _names(page) == ["Cello Oy"]
    expect(page.locator("#company-counts")).to_contain_text("1 shown by this filter")

    assert violations == []
