from http import HTTPStatus

import pytest

from maventa_portal.core.connection import check_maventa_connection
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_portal_login(client):
    response = client.get("/portal/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/portal/login/?next=/portal/"


def test_anonymous_user_is_sent_to_login_for_unknown_paths_too(client):
    response = client.get("/portal/no-such-page/?x=1")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/portal/login/?next=/portal/no-such-page/%3Fx%3D1"


def test_logged_in_user_without_staff_rights_is_refused(client):
    client.force_login(UserFactory())

    response = client.get("/portal/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Staff only" in response.content


def test_inactive_staff_user_is_sent_to_login(client):
    # Django's session auth drops inactive users, so they count as anonymous.
    client.force_login(UserFactory(staff=True, is_active=False))

    response = client.get("/portal/")

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.sandbox
def test_staff_user_sees_the_portal(client, sandbox):
    client.force_login(UserFactory(staff=True))
    check_maventa_connection()  # what the schedule does; the page only reads it

    response = client.get("/portal/")

    assert response.status_code == HTTPStatus.OK
    assert "Connected to Maventa (sandbox)." in response.content.decode()


@pytest.mark.parametrize("path", ["/healthz", "/portal/login/"])
def test_public_paths_need_no_login(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("path", ["/webhooks/maventa/", "/sandbox/no-such-endpoint"])
def test_machine_endpoints_are_not_sent_to_login(client, path):
    response = client.get(path)

    assert not response.get("Location", "").startswith("/portal/login/")


def test_admin_keeps_its_own_login(client):
    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")


def test_user_without_staff_rights_can_log_out(client):
    client.force_login(UserFactory())

    response = client.post("/portal/logout/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/portal/login/"
    assert "_auth_user_id" not in client.session


def test_login_form_refuses_accounts_without_staff_rights(client):
    UserFactory(username="clerk")

    response = client.post("/portal/login/", {"username": "clerk", "password": DEFAULT_PASSWORD})

    assert response.status_code == HTTPStatus.OK
    assert b"staff account" in response.content
    assert "_auth_user_id" not in client.session


def test_login_form_lets_staff_in_and_follows_next(client):
    UserFactory(username="anna", staff=True)

    response = client.post(
        "/portal/login/?next=/admin/",
        {"username": "anna", "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"


def test_logged_in_staff_skip_the_login_form(client):
    client.force_login(UserFactory(staff=True))

    response = client.get("/portal/login/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/portal/"


def test_paths_that_only_begin_like_healthz_are_not_public(client):
    response = client.get("/healthz-and-more")

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("path", ["/portal/companies/?q=a%00b", "/admin/companies/company/?q=%00"])
def test_nul_byte_in_a_search_is_a_clear_400_not_a_server_error(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL byte" in response.content.decode()


def test_form_without_a_csrf_token_gets_the_portal_page_saying_nothing_changed(db):
    from django.test import Client

    from tests.factories import CompanyFactory

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(superuser=True))
    company = CompanyFactory()

    response = client.post(f"/portal/companies/{company.pk}/refresh/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Nothing was changed" in response.content.decode()
    assert "<style" not in response.content.decode()
