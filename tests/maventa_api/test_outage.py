"""A Maventa outage, made real by the sandbox, shows staff the friendly message, never a 500."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.sandbox

FRIENDLY = "Maventa is unavailable, please try again later."


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_portal_home_during_an_outage_shows_the_friendly_message(sandbox, staff_client, status):
    sandbox.set_faults(error_rate=1.0, error_statuses=[status])

    response = staff_client.post(reverse("portal:check_connection"), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert FRIENDLY in response.content.decode()


def test_maventa_refusing_connections_shows_the_friendly_message(sandbox, staff_client):
    sandbox.set_faults(drop_rate=1.0)

    response = staff_client.post(reverse("portal:check_connection"), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert FRIENDLY in response.content.decode()


def test_onboarding_form_during_an_outage_keeps_the_input_and_says_why(sandbox, staff_client):
    sandbox.set_faults(error_rate=1.0, error_statuses=[503])

    response = staff_client.post(
        reverse("companies:create"),
        {
            "name": "Katkos Oy",
            "bid": "1234567-1",
            "country": "FI",
            "email": "k@example.com",
            "address1": "Katu 1",
            "post_code": "00100",
            "post_office": "Helsinki",
            "city": "Helsinki",
        },
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert FRIENDLY in html
    assert 'value="Katkos Oy"' in html
