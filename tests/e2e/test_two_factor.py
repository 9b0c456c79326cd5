"""Setting up two-factor authentication in a browser, under the site's Content-Security-Policy."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.django_db(transaction=True)]


def code_for(secret: str) -> str:
    """What an authenticator app shows now for the key the page offers for manual entry."""
    return f"{totp(b32decode(secret.replace(' ', ''))):06d}"


def test_staff_user_sets_up_2fa_sees_recovery_codes_and_lands_on_the_portal(
    live_server, sandbox, page, settings
):
    settings.REQUIRE_2FA = True
    UserFactory(username="tove", staff=True)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("Username").fill("tove")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/portal/2fa/setup/")
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr_code.locator("svg path")).to_have_count(1)
    assert qr_code.bounding_box()["width"] > 100
    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".two-factor-codes code")
    expect(codes).to_have_count(10)
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes.all_inner_texts())
    page.get_by_role("link", name="I have stored the codes: continue").click()

    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", name="Maventa connection")).to_be_visible()
    assert violations == []
