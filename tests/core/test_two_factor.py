"""Two-factor authentication (django-otp, TOTP with recovery codes) for staff."""

import logging
import re
from base64 import b32encode
from http import HTTPStatus

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from maventa_portal.core.models import AuditEntry
from maventa_portal.core.twofactor import services
from tests.factories import DEFAULT_PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/portal/2fa/setup/"
VERIFY = "/portal/2fa/verify/"


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    # Any six digits but the codes of the steps the device accepts (now, and one either side).
    accepted = {
        f"{totp(device.bin_key, device.step, device.t0 + d * device.step):06d}" for d in (-1, 0, 1)
    }
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in accepted)


def verified(client, device):
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def entries(event):
    return list(AuditEntry.objects.filter(event=event).order_by("pk"))


def start_setup(client) -> TOTPDevice:
    assert client.get(SETUP).status_code == HTTPStatus.OK
    return TOTPDevice.objects.get(confirmed=False)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("path", ["/portal/", "/admin/", "/portal/companies/"])
def test_staff_without_device_is_sent_to_setup_when_2fa_is_required(client, path):
    client.force_login(UserFactory(staff=True))

    response = client.get(path)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SETUP


@pytest.mark.usefixtures("required")
def test_setup_page_shows_the_qr_code_as_inline_svg_without_style_or_script(client):
    client.force_login(UserFactory(staff=True))

    response = client.get(SETUP)

    page = response.content.decode()
    device = TOTPDevice.objects.get()
    svg = re.search(r'class="two-factor-qr"[^>]*>(<svg\b.*?</svg>)', page, re.DOTALL).group(1)
    assert response.status_code == HTTPStatus.OK
    assert "<path" in svg
    assert "style" not in svg
    assert "<script" not in svg
    assert "<img" not in page
    assert not device.confirmed
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("required")
def test_reloading_the_setup_page_keeps_the_key_already_scanned(client):
    client.force_login(UserFactory(staff=True))

    first = start_setup(client)
    second = start_setup(client)

    assert first == second


@pytest.mark.usefixtures("required")
@pytest.mark.sandbox
def test_setup_with_a_code_from_the_app_shows_recovery_codes_and_opens_the_portal(client, sandbox):
    user = UserFactory(staff=True)
    client.force_login(user)
    device = start_setup(client)

    response = client.post(SETUP, {"otp_token": code_of(device)})

    device.refresh_from_db()
    codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert device.confirmed
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert all(f"<code>{code}</code>" in page for code in codes)
    assert "only time they are shown" in page
    assert client.get("/portal/").status_code == HTTPStatus.OK
    assert client.get("/admin/").status_code == HTTPStatus.OK


@pytest.mark.usefixtures("required")
def test_enabling_2fa_is_audited_without_key_or_codes(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    device = start_setup(client)

    client.post(SETUP, {"otp_token": code_of(device)})

    [entry] = entries("2fa.enable")
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.actor == user
    assert entry.object_pk == str(user.pk)
    secrets = [device.key, *StaticToken.objects.values_list("token", flat=True)]
    for stored in AuditEntry.objects.all():
        text = f"{stored.asked} {stored.reason} {stored.changes} {stored.object_repr}"
        assert not any(secret in text for secret in secrets)


@pytest.mark.usefixtures("required")
def test_wrong_setup_code_is_refused_and_audited(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    device = start_setup(client)

    response = client.post(SETUP, {"otp_token": wrong_code_for(device)})

    device.refresh_from_db()
    assert response.status_code == HTTPStatus.OK
    assert "That code is not right" in response.content.decode()
    assert not device.confirmed
    assert client.get("/portal/")["Location"] == SETUP
    [entry] = entries("2fa.enable")
    assert entry.outcome == AuditEntry.Outcome.REFUSED


@pytest.mark.usefixtures("required")
def test_user_with_a_device_cannot_set_up_another_one_before_verifying(client):
    device = TOTPDeviceFactory()
    client.force_login(device.user)

    response = client.get(SETUP)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.count() == 1


@pytest.mark.parametrize("require", [True, False])
@pytest.mark.parametrize("path", ["/portal/", "/admin/"])
def test_user_with_a_device_must_verify_first(client, settings, require, path):
    settings.REQUIRE_2FA = require
    device = TOTPDeviceFactory()
    client.force_login(device.user)

    response = client.get(path)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{VERIFY}?next={path.replace('/', '%2F')}"


@pytest.mark.usefixtures("required")
def test_password_login_leads_to_the_code_before_the_portal(client):
    device = TOTPDeviceFactory(user__username="anna")

    login = client.post("/portal/login/", {"username": "anna", "password": DEFAULT_PASSWORD})
    portal = client.get(login["Location"])
    verify = client.post(portal["Location"], {"otp_token": code_of(device), "next": "/admin/"})

    assert login["Location"] == "/portal/"
    assert portal["Location"] == f"{VERIFY}?next=%2Fportal%2F"
    assert verify.status_code == HTTPStatus.FOUND
    assert verify["Location"] == "/admin/"
    assert client.get("/admin/").status_code == HTTPStatus.OK


@pytest.mark.usefixtures("required")
def test_wrong_code_is_refused_and_audited(client, caplog):
    device = TOTPDeviceFactory()
    client.force_login(device.user)
    wrong = wrong_code_for(device)

    response = client.post(VERIFY, {"otp_token": wrong, "next": "/admin/"})

    assert response.status_code == HTTPStatus.OK
    assert services.WRONG_CODE in response.content.decode()
    assert client.get("/admin/").status_code == HTTPStatus.FOUND
    [entry] = entries("2fa.verify")
    assert entry.outcome == AuditEntry.Outcome.REFUSED
    assert entry.actor == device.user
    assert wrong not in entry.reason
    assert wrong not in caplog.text


@pytest.mark.usefixtures("required")
def test_code_right_after_a_wrong_one_is_throttled_with_a_clear_message(client):
    device = TOTPDeviceFactory()
    client.force_login(device.user)
    client.post(VERIFY, {"otp_token": wrong_code_for(device)})

    response = client.post(VERIFY, {"otp_token": code_of(device)})

    assert response.status_code == HTTPStatus.OK
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/portal/2fa/").status_code == HTTPStatus.FOUND


@pytest.mark.usefixtures("required")
def test_recovery_code_works_once(client):
    device = TOTPDeviceFactory()
    code = services.replace_recovery_codes(user=device.user)[0]
    client.force_login(device.user)

    first = client.post(VERIFY, {"otp_token": code.upper()})
    client.post("/portal/logout/")
    client.force_login(device.user)
    second = client.post(VERIFY, {"otp_token": code})

    assert first.status_code == HTTPStatus.FOUND
    assert second.status_code == HTTPStatus.OK
    assert services.WRONG_CODE in second.content.decode()
    assert services.recovery_codes_left(device.user) == services.RECOVERY_CODE_COUNT - 1
    used = entries("2fa.verify")[0]
    assert used.outcome == AuditEntry.Outcome.DONE
    assert code not in used.reason


@pytest.mark.usefixtures("required")
def test_new_recovery_codes_replace_the_old_ones_and_are_audited(client):
    device = TOTPDeviceFactory()
    old = services.replace_recovery_codes(user=device.user)
    client.force_login(device.user)
    verified(client, device)

    confirm = client.get("/portal/2fa/recovery-codes/")
    response = client.post("/portal/2fa/recovery-codes/")

    new = set(StaticToken.objects.values_list("token", flat=True))
    assert confirm.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.OK
    assert len(new) == services.RECOVERY_CODE_COUNT
    assert not new & set(old)
    assert all(code in response.content.decode() for code in new)
    [entry] = entries("2fa.recovery_codes")
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert not any(code in f"{entry.asked} {entry.reason}" for code in new)


@pytest.mark.usefixtures("required")
def test_recovery_codes_page_needs_a_verified_session(client):
    device = TOTPDeviceFactory()
    client.force_login(device.user)

    response = client.post("/portal/2fa/recovery-codes/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(VERIFY)
    assert not StaticToken.objects.exists()


def test_without_the_requirement_staff_without_a_device_go_straight_in(client, settings):
    settings.REQUIRE_2FA = False
    client.force_login(UserFactory(staff=True))

    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.OK


def test_without_the_requirement_staff_may_set_up_2fa_and_must_then_verify(client, settings):
    settings.REQUIRE_2FA = False
    user = UserFactory(staff=True)
    client.force_login(user)
    device = start_setup(client)
    client.post(SETUP, {"otp_token": code_of(device)})
    client.post("/portal/logout/")
    client.force_login(user)

    response = client.get("/admin/")

    assert response["Location"].startswith(VERIFY)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize(
    "path", ["/portal/login/", "/admin/login/", "/healthz", SETUP, "/static/portal/portal.css"]
)
def test_login_pages_and_machine_endpoints_are_not_sent_to_2fa(client, path):
    client.force_login(UserFactory(staff=True))

    response = client.get(path)

    assert response.get("Location", "") != SETUP


@pytest.mark.usefixtures("required")
def test_users_without_staff_rights_are_not_asked_for_a_code(client):
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response["Location"].startswith("/admin/login/")


@pytest.mark.usefixtures("required")
def test_verify_ignores_a_next_address_on_another_host(client):
    device = TOTPDeviceFactory()
    client.force_login(device.user)

    response = client.post(VERIFY, {"otp_token": code_of(device), "next": "https://evil.example/"})

    assert response["Location"] == "/portal/"


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("code", ["x" * 10_000, "١٢٣٤٥٦", "", "12 34 56 78 90", "\x00"])
def test_odd_codes_are_refused_without_a_server_error(client, code):
    device = TOTPDeviceFactory()
    client.force_login(device.user)

    response = client.post(VERIFY, {"otp_token": code})

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "errornote" in page or "errorlist" in page
    assert client.get("/portal/2fa/")["Location"].startswith(VERIFY)


@pytest.mark.usefixtures("required")
def test_superuser_resets_a_users_2fa_by_deleting_the_device_in_the_admin(client):
    from django.test import Client

    device = TOTPDeviceFactory()
    services.replace_recovery_codes(user=device.user)
    admin_device = TOTPDeviceFactory(user=UserFactory(superuser=True))
    client.force_login(admin_device.user)
    verified(client, admin_device)

    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:otp_static_staticdevice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(device.user.staticdevice_set.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    user_client = Client()
    user_client.force_login(device.user)

    assert response.status_code == HTTPStatus.FOUND
    assert not services.has_two_factor(device.user)
    assert user_client.get("/portal/")["Location"] == SETUP


@pytest.mark.usefixtures("required")
def test_admin_shows_devices_without_their_keys(client):
    device = TOTPDeviceFactory()
    admin_device = TOTPDeviceFactory(user=UserFactory(superuser=True))
    client.force_login(admin_device.user)
    verified(client, admin_device)

    response = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert response.status_code == HTTPStatus.OK
    assert device.key not in response.content.decode()


@pytest.mark.usefixtures("required")
def test_setup_and_verify_write_no_code_or_key_to_the_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    user = UserFactory(staff=True)
    client.force_login(user)
    device = start_setup(client)
    code = code_of(device)

    client.post(SETUP, {"otp_token": code})

    tokens = list(StaticToken.objects.values_list("token", flat=True))
    assert "Two-factor authentication turned on by" in caplog.text
    assert not any(secret in caplog.text for secret in [code, device.key, *tokens])


@pytest.mark.usefixtures("required")
def test_overview_says_2fa_is_on_and_how_many_recovery_codes_are_left(client):
    device = TOTPDeviceFactory()
    services.replace_recovery_codes(user=device.user)
    client.force_login(device.user)
    verified(client, device)

    page = client.get("/portal/2fa/").content.decode()

    assert "Two-factor authentication is on" in page
    assert f"{services.RECOVERY_CODE_COUNT} unused recovery codes left" in page
