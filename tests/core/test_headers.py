"""Security headers: the policies on every page, and no-store on every authenticated one."""

from http import HTTPStatus

import pytest
from django.http import HttpResponse

from maventa_portal.core.headers import NoStoreForAuthenticatedMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_policies(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "camera=()" in response["Permissions-Policy"]


@pytest.fixture
def staff_client(client):
    # Roles decide which pages open; headers are what is tested here, so every page opens.
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.mark.parametrize("path", ["/portal/login/", "/admin/login/"])
def test_login_pages_carry_the_policies(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    assert_policies(response)


@pytest.mark.sandbox
def test_portal_home_carries_the_policies_and_no_store(staff_client, sandbox):
    response = staff_client.get("/portal/")

    assert response.status_code == HTTPStatus.OK
    assert_policies(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/admin/", "/portal/companies/"])
def test_staff_pages_carry_the_policies_and_no_store(staff_client, path):
    response = staff_client.get(path)

    assert response.status_code == HTTPStatus.OK
    assert_policies(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_refused_page_of_a_logged_in_user_is_not_stored(client):
    client.force_login(UserFactory())

    response = client.get("/portal/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "no-store" in response["Cache-Control"]


def test_static_files_are_not_marked_no_store_for_staff(staff_client, settings):
    # Served from the finders, as collectstatic has not run; read when the client first loads
    # its middleware, which is the request below.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = staff_client.get("/static/portal/portal.css")

    assert response.status_code == HTTPStatus.OK
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path", ["/healthz", "/webhooks/maventa/", "/sandbox/ax/v1/company", "/static/x.css"]
)
def test_machine_paths_are_passed_without_reading_the_user(rf, path):
    request = rf.get(path)  # no request.user: reading it would raise AttributeError
    middleware = NoStoreForAuthenticatedMiddleware(lambda request: HttpResponse())

    response = middleware(request)

    assert not response.has_header("Cache-Control")
