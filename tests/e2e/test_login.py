import re

import pytest
from playwright.sync_api import expect

from maventa_portal.core.connection import check_maventa_connection
from maventa_portal.core.demo import DEMO_PASSWORD, DEMO_USERNAME, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_user_logs_in_and_sees_the_portal(live_server, sandbox, page):
    # `sandbox` points the connection check at the sandbox this live server serves.
    seed_demo()  # the demo login only, not every app's demo data
    check_maventa_connection()  # what the schedule does; the home page only reads it

    page.goto(f"{live_server.url}/portal/")
    expect(page).to_have_url(re.compile(r"/portal/login/\?next=/portal/$"))
    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.locator("#site-name")).to_contain_text("Maventa Portal")
    badge = page.locator("#site-name .env-badge")
    expect(badge).to_have_text("Sandbox")
    expect(badge).to_have_css("background-color", "rgb(46, 125, 50)")
    expect(page.get_by_role("heading", name="Maventa connection")).to_be_visible()
    expect(page.locator(".portal-connection")).to_have_text("Connected to Maventa (sandbox).")


def test_wrong_password_keeps_the_user_out(live_server, page):
    seed_demo()

    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".errornote")).to_contain_text("staff account")
    expect(page).to_have_url(re.compile(r"/portal/login/"))
