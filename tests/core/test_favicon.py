"""The portal's icon: linked from every page, served as a static file, found at /favicon.ico."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ICON = "/static/portal/favicon.svg"


def test_favicon_ico_redirects_anyone_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == ICON


def test_the_icon_is_served_as_svg(settings):
    # Served from the finders, as collectstatic has not run; read when the client first
    # loads its middleware.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = Client().get(ICON)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


def test_the_icon_file_is_a_small_svg():
    path = finders.find("portal/favicon.svg")

    assert path is not None
    with open(path, "rb") as icon:
        content = icon.read()
    assert content.startswith(b"<svg")
    assert len(content) < 2048


def test_login_and_staff_pages_link_the_icon(client, viewer_client):
    login = client.get(reverse("portal:login")).content.decode()
    companies = viewer_client.get(reverse("companies:list")).content.decode()

    for html in (login, companies):
        assert f'<link rel="icon" href="{ICON}" type="image/svg+xml">' in html
