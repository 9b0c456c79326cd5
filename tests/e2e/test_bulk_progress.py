"""The bulk registration progress page in Chromium: it updates itself as companies finish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from companies.tasks import register_profiles_for_item
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox]

PASSWORD = "browser-test-password-1"  # noqa: S105 - a test user


def test_staff_registers_profiles_for_selected_companies_and_watches_progress(
    live_server, sandbox, make_company, page
):
    UserFactory(username="staffer", password=PASSWORD, superuser=True)
    companies = [make_company(country=c) for c in ("FI", "NO", "SE")]
    unverified = make_company(country="DK")

    page.goto(f"{live_server.url}/admin/companies/company/")
    page.get_by_label("Username").fill("staffer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for company in [*companies, unverified]:
        page.locator(f'input[name="_selected_action"][value="{company.pk}"]').check()
    page.locator('select[name="action"]').select_option("register_network_profiles")
    page.get_by_role("button", name="Go").click()

    expect(page.locator("#expected-schemes")).to_contain_text("0192 (NO:ORG)")
    page.locator('select[name="network"]').select_option("BANK")
    page.get_by_role("button", name=re.compile("Register for 4 companies")).click()

    expect(page).to_have_url(re.compile(r"/portal/companies/registrations/\d+/$"))
    expect(page.locator("#bulk-counts")).to_contain_text("4 pending of 4")

    # The worker's part, done here: the page must notice without a reload.
    from companies.models import BulkRegistrationItem

    for item in BulkRegistrationItem.objects.all():
        register_profiles_for_item(item.pk)

    expect(page.locator("#bulk-summary")).to_have_text("Finished: 1 registered, 3 failed.")
    expect(page.locator(".bulk-progress__fill")).to_have_attribute("style", "width: 100%;")
    rows = page.locator("#bulk-items tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#bulk-items")).to_contain_text(
        "The BANK network is for Finnish companies only"
    )
    expect(page.get_by_role("button", name="Retry failed")).to_be_visible()
