"""The home page shows the stored connection check and never waits on Maventa; "Check now"
and the schedule refresh it, a staff request waiting at most the interactive deadline."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from maventa_portal.core import tasks
from maventa_portal.core.connection import check_maventa_connection, last_check
from maventa_portal.core.models import ConnectionCheck
from maventa_portal.maventa_api import SLOW_MESSAGE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
CHECK_NOW = reverse("portal:check_connection")


def maventa_was_not_called(sandbox) -> bool:
    stats = sandbox.stats()
    return stats["requests"] == {} and stats["token_requests"] == 0


@pytest.mark.sandbox
def test_home_shows_the_stored_check_without_calling_maventa(sandbox, viewer_client):
    check_maventa_connection()
    sandbox.reset()  # counters from zero: only what the page does counts

    page = viewer_client.get(HOME).content.decode()

    assert "Connected to Maventa (sandbox)." in page
    assert "Last checked" in page
    assert maventa_was_not_called(sandbox)


@pytest.mark.sandbox
def test_home_answers_at_once_while_maventa_hangs(sandbox, viewer_client):
    check_maventa_connection()
    sandbox.reset()
    sandbox.set_faults(hang_rate=1.0, hang_seconds=20)

    started = time.monotonic()
    response = viewer_client.get(HOME)
    elapsed = time.monotonic() - started

    assert response.status_code == HTTPStatus.OK
    assert elapsed < 1.0
    assert maventa_was_not_called(sandbox)


def test_home_before_any_check_says_so_and_offers_the_button(viewer_client):
    page = viewer_client.get(HOME).content.decode()

    assert "Not checked yet" in page
    assert "Check now" in page


def test_last_check_is_shown_in_local_time(viewer_client, settings):
    settings.TIME_ZONE = "Europe/Helsinki"
    ConnectionCheck.objects.create(
        environment="sandbox", ok=True, checked_at=datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    )

    page = viewer_client.get(HOME).content.decode()

    assert "15 Jan 2026 12:00" in page  # 10:00 UTC
    # Weeks old: the schedule has not run, which the page says.
    assert "the task workers may not be running" in page


def test_a_recent_check_is_not_called_stale(viewer_client):
    ConnectionCheck.objects.create(
        environment="sandbox", ok=True, checked_at=timezone.now() - timedelta(minutes=4)
    )

    page = viewer_client.get(HOME).content.decode()

    assert "4\xa0minutes ago" in page
    assert "the task workers may not be running" not in page


def test_a_check_of_another_environment_is_not_shown(viewer_client):
    ConnectionCheck.objects.create(environment="production", ok=True, checked_at=timezone.now())

    page = viewer_client.get(HOME).content.decode()

    assert "Not checked yet" in page


@pytest.mark.sandbox
def test_check_now_asks_maventa_and_shows_the_result(sandbox, viewer_client):
    response = viewer_client.post(CHECK_NOW)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == HOME
    check = last_check()
    assert check.ok
    assert check.client_id
    assert "Connected to Maventa (sandbox)." in viewer_client.get(HOME).content.decode()


@pytest.mark.slow
@pytest.mark.sandbox
def test_check_now_with_maventa_hanging_answers_within_the_deadline(sandbox, viewer_client):
    # The default deadline of 8 s; Maventa hangs longer. The test then waits out the hang.
    hang = 9.5
    sandbox.script({"path": "/status/authenticated", "hang_seconds": hang})

    started = time.monotonic()
    response = viewer_client.post(CHECK_NOW)
    elapsed = time.monotonic() - started
    page = viewer_client.get(HOME).content.decode()
    time.sleep(max(0.0, started + hang + 0.2 - time.monotonic()))

    assert response.status_code == HTTPStatus.FOUND
    assert 8.0 <= elapsed < 9.0, f"check now took {elapsed:.2f} s"
    assert SLOW_MESSAGE.format(seconds=8) in page
    assert "Maventa did not answer within 8 seconds; try again" in page
    assert last_check().ok is False


def test_check_now_needs_post(viewer_client):
    assert viewer_client.get(CHECK_NOW).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_check_now_needs_the_permission(client):
    client.force_login(UserFactory(staff=True))

    response = client.post(CHECK_NOW)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "core.check_connection" in response.content.decode()
    assert not ConnectionCheck.objects.exists()


def test_staff_without_the_permission_see_no_button(client):
    client.force_login(UserFactory(staff=True))

    page = client.get(HOME).content.decode()

    assert "Check now" not in page


@pytest.mark.slow
@pytest.mark.sandbox
def test_the_task_stores_the_check_and_keeps_the_long_timeouts(sandbox, settings):
    # Outside a web request no interactive deadline applies: the task waits for the answer.
    settings.MAVENTA_INTERACTIVE_DEADLINE = 0.5
    sandbox.script({"path": "/status/authenticated", "hang_seconds": 1.0})

    assert tasks.check_maventa_connection() is True
    assert last_check().ok


def test_the_check_is_scheduled_every_five_minutes():
    call_command("setup_schedules", stdout=io.StringIO())

    schedule = Schedule.objects.get(name="core: check the Maventa connection")

    assert schedule.func == "maventa_portal.core.tasks.check_maventa_connection"
    assert schedule.schedule_type == Schedule.MINUTES
    assert schedule.minutes == 5
