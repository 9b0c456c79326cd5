"""Lockout after repeated failed logins (django-axes), its release, and the security log."""

import logging
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import DEFAULT_PASSWORD, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
WRONG_PASSWORD = "not-the-password-Zq81"  # noqa: S105 - what a test types wrongly
LOGIN_FORMS = ["/portal/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.REQUIRE_2FA = False


def log_in(client, url="/portal/login/", *, username, password, address="10.0.0.1", **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, url="/portal/login/", *, username, address="10.0.0.1", times=1, **headers):
    for _ in range(times):
        response = log_in(
            client, url, username=username, password=WRONG_PASSWORD, address=address, **headers
        )
    return response


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_username_is_locked_after_the_limit_even_from_different_addresses(client, url):
    UserFactory(username="anna", staff=True)
    for n in range(LIMIT - 1):
        fail(client, url, username="anna", address=f"10.0.1.{n}")

    response = fail(client, url, username="anna", address="10.0.1.200")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"Logging in is locked" in response.content


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_right_password_is_refused_while_the_username_is_locked(client, url):
    UserFactory(username="anna", staff=True)
    for n in range(LIMIT):
        fail(client, url, username="anna", address=f"10.0.2.{n}")

    response = log_in(client, url, username="anna", password=DEFAULT_PASSWORD, address="10.0.2.250")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not is_logged_in(client)


def test_address_is_locked_after_the_limit_across_different_usernames(client):
    UserFactory(username="anna", staff=True)
    for name in ("guess1", "guess2", "guess3")[:LIMIT]:
        fail(client, username=name, address="10.0.3.1")

    from_locked_address = log_in(
        client, username="anna", password=DEFAULT_PASSWORD, address="10.0.3.1"
    )
    from_elsewhere = log_in(client, username="anna", password=DEFAULT_PASSWORD, address="10.0.3.2")

    assert from_locked_address.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert from_elsewhere.status_code == HTTPStatus.FOUND
    assert is_logged_in(client)


def test_forged_forwarded_for_header_does_not_escape_the_address_lock(client):
    UserFactory(username="anna", staff=True)
    for n in range(LIMIT):
        fail(client, username=f"guess{n}", address="10.0.4.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = log_in(
        client,
        username="anna",
        password=DEFAULT_PASSWORD,
        address="10.0.4.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_failures_below_the_limit_do_not_lock(client):
    UserFactory(username="anna", staff=True)
    fail(client, username="anna", times=LIMIT - 1)

    response = log_in(client, username="anna", password=DEFAULT_PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert not AccessAttempt.objects.filter(username="anna").exists()


def test_lockout_page_says_for_how_long_and_that_an_administrator_can_release_it(client, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)

    response = fail(client, username="anna", times=LIMIT)

    page = response.content.decode()
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Try again in 15 minutes" in page
    assert "An administrator can release the lock" in page


def verified_superuser_client(client):
    admin_user = UserFactory(superuser=True)
    device = TOTPDeviceFactory(user=admin_user)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_superuser_releases_a_lock_by_deleting_the_access_attempt_in_the_admin(
    client, settings, django_user_model
):
    from django.test import Client

    settings.REQUIRE_2FA = True
    UserFactory(username="anna", staff=True)
    fail(client, username="anna", times=LIMIT)
    attempt = AccessAttempt.objects.get(username="anna")
    admin_client = verified_superuser_client(Client())

    released = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    response = log_in(client, username="anna", password=DEFAULT_PASSWORD)

    assert released.status_code == HTTPStatus.FOUND
    assert not AccessAttempt.objects.exists()
    assert response.status_code == HTTPStatus.FOUND
    assert is_logged_in(client)


def test_superuser_releases_locks_in_bulk_from_the_attempt_list(client, settings):
    from django.test import Client

    settings.REQUIRE_2FA = True
    for n in range(LIMIT):
        fail(client, username=f"guess{n}", address="10.0.5.1")
    admin_client = verified_superuser_client(Client())

    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not AccessAttempt.objects.exists()


def test_axes_reset_command_releases_every_lock(client):
    UserFactory(username="anna", staff=True)
    fail(client, username="anna", times=LIMIT)

    call_command("axes_reset")
    response = log_in(client, username="anna", password=DEFAULT_PASSWORD)

    assert response.status_code == HTTPStatus.FOUND


def test_failed_login_is_logged_with_username_and_address_but_no_password(client, caplog):
    caplog.set_level(logging.DEBUG)

    fail(client, username="anna", address="10.0.6.1")

    security = [r.getMessage() for r in caplog.records if r.name == "maventa_portal.security"]
    assert security == ["Failed login for 'anna' from 10.0.6.1."]
    assert any(r.name.startswith("axes") for r in caplog.records)
    assert WRONG_PASSWORD not in caplog.text
    attempt = AccessAttempt.objects.get(username="anna")
    assert WRONG_PASSWORD not in attempt.post_data + attempt.get_data


def test_successful_login_is_logged_with_username_and_address_but_no_password(client, caplog):
    UserFactory(username="anna", staff=True)
    caplog.set_level(logging.DEBUG)

    log_in(client, username="anna", password=DEFAULT_PASSWORD, address="10.0.6.2")

    security = [r.getMessage() for r in caplog.records if r.name == "maventa_portal.security"]
    assert security == ["Login of 'anna' from 10.0.6.2."]
    assert DEFAULT_PASSWORD not in caplog.text


def test_lockout_is_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="maventa_portal.security")

    fail(client, username="anna", address="10.0.6.3", times=LIMIT)

    assert "Login locked for 'anna' from 10.0.6.3 after repeated failures." in caplog.messages
