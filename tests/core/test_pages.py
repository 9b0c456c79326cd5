import logging
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from maventa_portal.core.connection import check_maventa_connection
from maventa_portal.maventa_api.errors import UNAVAILABLE_MESSAGE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True, superuser=True))
    return client


@pytest.mark.parametrize(
    ("environment", "label", "colour"),
    [
        ("sandbox", "Sandbox", "#2e7d32"),
        ("stage", "Stage", "#e65100"),
        ("production", "Production", "#c62828"),
    ],
)
def test_admin_header_shows_the_environment_in_its_colour(
    staff_client, settings, environment, label, colour
):
    settings.MAVENTA_ENV = environment

    response = staff_client.get("/admin/")

    header = response.content.decode().split('<header id="header">')[1].split("</header>")[0]
    assert "Maventa Portal" in header
    assert f'class="env-badge env-badge--{environment}"' in header
    assert f">{label}</span>" in header
    # A class, not a style attribute: the Content-Security-Policy refuses inline styles.
    stylesheet = Path(finders.find("portal/portal.css")).read_text()
    assert f".env-badge--{environment} {{ background-color: {colour}; }}" in stylesheet


def test_admin_login_page_shows_the_environment_too(client):
    response = client.get("/admin/login/")

    assert b'data-environment="sandbox"' in response.content


@pytest.mark.sandbox
def test_home_shows_the_connection_and_the_admin_sections(sandbox, staff_client):
    check_maventa_connection()  # what the schedule does; the page only reads it

    response = staff_client.get("/portal/")

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Connected to Maventa (sandbox)." in page
    assert 'href="/admin/auth/user/"' in page


@pytest.mark.sandbox
def test_home_shows_the_staff_message_when_maventa_is_down(sandbox, staff_client, settings, caplog):
    settings.MAVENTA_MAX_RETRIES = 0
    sandbox.set_faults(error_rate=1.0, error_statuses=[503])

    with caplog.at_level(logging.WARNING, logger="maventa_portal.core.connection"):
        staff_client.post("/portal/check-connection/")
    response = staff_client.get("/portal/")

    assert response.status_code == HTTPStatus.OK
    assert UNAVAILABLE_MESSAGE in response.content.decode()
    assert "503" in caplog.text


@pytest.mark.urls("tests.core.urls")
def test_maventa_error_in_a_view_becomes_a_503_page(staff_client, caplog):
    with caplog.at_level(logging.WARNING, logger="maventa_portal.core.middleware"):
        response = staff_client.get("/portal/test-maventa-outage/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert UNAVAILABLE_MESSAGE in response.content.decode()
    assert "connection refused" in caplog.text
    assert "s3cr3t" not in caplog.text


def test_unknown_page_shows_the_portal_404(staff_client):
    response = staff_client.get("/portal/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"Page not found" in response.content


def test_bare_host_leads_to_the_portal(client):
    response = client.get("/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/portal/login/?next=/"
