"""The Content-Security-Policy breaks no page: Chromium reports no violation on any of them.

Chromium logs every refused inline style or script to the console, naming the policy; the
pages are those staff use, the admin's included (its change list, change form, delete
confirmation, login and action pages), and the bulk progress page, whose script sets widths.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox]

PASSWORD = "browser-test-password-2"  # noqa: S105 - a test user


@pytest.fixture
def violations(page) -> list[str]:
    found: list[str] = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", record)
    return found


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.ok, f"{url}: {response.status}"
    assert "Content-Security-Policy" in {name.title() for name in response.headers}
    page.wait_for_load_state("load")


def test_no_page_staff_use_violates_the_policy(
    live_server, sandbox, make_company, page, violations
):
    UserFactory(username="csp-staffer", password=PASSWORD, superuser=True)
    company = make_company(country="FI")
    base = live_server.url

    visit(page, f"{base}/admin/login/")
    visit(page, f"{base}/portal/login/")
    page.get_by_label("Username").fill("csp-staffer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/portal/")
    # The badge's colour comes from a class now, not from a style attribute.
    expect(page.locator("#site-name .env-badge")).to_have_css(
        "background-color", "rgb(46, 125, 50)"
    )

    for path in (
        "/portal/",
        "/portal/companies/",
        f"/portal/companies/{company.pk}/",
        "/admin/",
        "/admin/companies/company/",
        f"/admin/companies/company/{company.pk}/change/",
        f"/admin/companies/company/{company.pk}/delete/",
    ):
        visit(page, base + path)

    # An admin action with an intermediate page, then the progress page it leads to.
    page.goto(f"{base}/admin/companies/company/")
    page.locator(f'input[name="_selected_action"][value="{company.pk}"]').check()
    page.locator('select[name="action"]').select_option("register_network_profiles")
    page.get_by_role("button", name="Go").click()
    page.locator('select[name="network"]').select_option("BANK")
    with page.expect_response(re.compile(r"/progress\.json$")):
        page.get_by_role("button", name=re.compile("Register for 1 compan")).click()
    expect(page).to_have_url(re.compile(r"/portal/runs/\d+/$"))

    assert violations == []
