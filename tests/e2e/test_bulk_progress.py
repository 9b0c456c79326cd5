"""A bulk run's progress page in Chromium: it updates itself as companies finish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from maventa_portal.core.bulk.engine import drain
from maventa_portal.core.models import BulkRun
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox]

PASSWORD = "browser-test-password-1"  # noqa: S105 - a test user


@pytest.mark.slow
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

    expect(page).to_have_url(re.compile(r"/portal/runs/\d+/$"))
    expect(page.locator("#bulk-counts")).to_contain_text("4 to do of 4")

    # The worker's part, done here: the page must notice without a reload.
    drain(BulkRun.objects.get().pk)

    expect(page.locator("#bulk-summary")).to_have_text("Finished: 1 done, 3 failed.")
    # One in four done, three failed: the bar shows both, never a solid 100% green.
    expect(page.locator(".bulk-progress__fill")).to_have_attribute("style", "width: 25%;")
    expect(page.locator(".bulk-progress__failed")).to_have_attribute("style", "width: 75%;")
    rows = page.locator("#bulk-items tbody tr")
    expect(rows).to_have_count(4)
    # Failures first, each a link to its company.
    expect(rows.first).to_contain_text("The BANK network is for Finnish companies only")
    expect(rows.first.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"/portal/companies/\d+/$")
    )
    expect(page.get_by_role("button", name="Retry failed")).to_be_visible()
    expect(page.get_by_role("button", name="New run from failed")).to_be_visible()
