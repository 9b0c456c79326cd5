"""Outside the sandbox, start-up refuses unsafe settings and names the variable to fix.

Settings are read once per process, so each case starts Django in a fresh interpreter with
exactly the environment given here (a .env beside manage.py fills only what is not set).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START = (
    "import django, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'maventa_portal.settings'); "
    "django.setup()"
)
KEY, OLD_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
PRODUCTION = {
    "MAVENTA_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-for-this-test-only-" + "x" * 20,
    "MAVENTA_VENDOR_API_KEY": "vendor-key-for-this-test",
    "MAVENTA_WEBHOOK_SECRET": "webhook-secret-for-this-test",
    "FIELD_ENCRYPTION_KEY": KEY,
}


def start(**overrides: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ.get("PATH", ""), **PRODUCTION, **overrides}
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed program
        [sys.executable, "-c", START],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    [line] = [x for x in result.stderr.splitlines() if x.startswith("django.core.exceptions.")]
    assert line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    return line


def test_valid_production_environment_starts():
    result = start()

    assert result.returncode == 0, result.stderr


def test_several_keys_for_rotation_start():
    result = start(FIELD_ENCRYPTION_KEY=f"{KEY}, {OLD_KEY},")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("environment", ["stage", "production"])
def test_debug_is_refused_outside_the_sandbox(environment):
    line = refusal(start(MAVENTA_ENV=environment, DEBUG="true"))

    assert "DEBUG must be false" in line


def test_debug_is_allowed_in_the_sandbox():
    result = start(MAVENTA_ENV="sandbox", DEBUG="true")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("replace-with-a-fernet-key", id="placeholder"),
        pytest.param(f"{KEY},{KEY[:-4]}", id="second-key-truncated"),
        pytest.param(",", id="only-commas"),
    ],
)
def test_encryption_key_that_is_not_fernet_keys_is_refused(value):
    result = start(FIELD_ENCRYPTION_KEY=value)

    line = refusal(result)
    assert "FIELD_ENCRYPTION_KEY must be one or more Fernet keys" in line
    assert KEY not in result.stderr


def test_missing_encryption_key_is_named():
    line = refusal(start(MAVENTA_ENV="stage", FIELD_ENCRYPTION_KEY=""))

    assert "FIELD_ENCRYPTION_KEY" in line
