import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from maventa_portal.core.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_USERNAME
from maventa_portal.core.demo import seed_demo as seed_core_demo
from maventa_portal.core.management.commands.setup_schedules import registered_schedules
from maventa_portal.core.roles import OPERATORS, VIEWERS

BASE_DIR = Path(__file__).resolve().parents[2]


def run_command(name: str) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


@pytest.mark.sandbox
def test_seed_demo_twice_creates_one_superuser_and_prints_the_login(sandbox):
    # Every app's demo data comes along; apps seed through the sandbox the way staff would.
    first = run_command("seed_demo")
    second = run_command("seed_demo")

    users = get_user_model().objects.filter(username=DEMO_USERNAME)
    assert users.count() == 1
    user = users.get()
    assert (user.is_staff, user.is_superuser, user.is_active) == (True, True, True)
    assert user.check_password(DEMO_PASSWORD)
    for login in DEMO_LOGINS:
        assert f"username {login.username}, password {login.password}" in first
        assert f"username {login.username}, password {login.password}" in second


@pytest.mark.django_db
def test_seed_demo_gives_the_operator_and_the_viewer_their_roles_only():
    seed_core_demo()

    operator = get_user_model().objects.get(username="operator")
    viewer = get_user_model().objects.get(username="viewer")
    assert not operator.is_superuser
    assert not viewer.is_superuser
    assert list(operator.groups.values_list("name", flat=True)) == [OPERATORS]
    assert list(viewer.groups.values_list("name", flat=True)) == [VIEWERS]
    assert operator.has_perm("companies.register_profiles")
    assert not viewer.has_perm("companies.register_profiles")
    assert viewer.has_perm("companies.view_company")


@pytest.mark.django_db
def test_core_demo_seed_repairs_a_changed_demo_user():
    seed_core_demo()
    get_user_model().objects.filter(username=DEMO_USERNAME).update(is_staff=False, password="")

    seed_core_demo()

    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.is_staff
    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_refuses_outside_the_sandbox(settings):
    settings.MAVENTA_ENV = "production"

    with pytest.raises(CommandError, match="sandbox only"):
        run_command("seed_demo")

    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()


@pytest.mark.django_db
def test_setup_schedules_creates_each_schedule_once():
    registered = registered_schedules()

    run_command("setup_schedules")
    run_command("setup_schedules")

    names = list(Schedule.objects.values_list("name", flat=True))
    assert sorted(names) == sorted(entry["name"] for entry in registered)


@pytest.mark.django_db
def test_setup_schedules_restores_a_changed_schedule_and_keeps_hand_made_ones():
    run_command("setup_schedules")
    entry = registered_schedules()[0]
    Schedule.objects.filter(name=entry["name"]).update(func="somewhere.else")
    Schedule.objects.create(name="made by staff", func="maventa_portal.core.tasks.x")

    run_command("setup_schedules")

    assert Schedule.objects.get(name=entry["name"]).func == entry["func"]
    assert Schedule.objects.filter(name="made by staff").exists()


def test_registered_schedules_point_at_real_functions():
    # registered_schedules() imports every func; a typo raises CommandError here.
    assert all(entry["func"] for entry in registered_schedules())


def test_deploy_check_is_clean_for_production():
    # The browser tests' conftest allows async-unsafe calls for this whole process; a
    # deployment never does, and the check rightly fails on it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "MAVENTA_ENV": "production",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "portal.example.com",
        "SECRET_KEY": "x7!kq2-production-check-key-with-enough-length-and-variety-9f3a1c",
        "MAVENTA_VENDOR_API_KEY": "vendor-key-placeholder",
        "MAVENTA_OPERATOR_ID": "operator-placeholder",
        "MAVENTA_OPERATOR_SECRET": "operator-secret-placeholder",
        "MAVENTA_WEBHOOK_SECRET": "webhook-secret-placeholder",
        "FIELD_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1jaGVjay1mZXJuZXQta2V5LTMyYiE=",
    }

    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout
