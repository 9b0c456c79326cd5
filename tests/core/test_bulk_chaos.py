"""A bulk run survives its workers being killed: a real ``bulk`` cluster, ``kill -9`` mid-run.

The cluster runs as its own process group against the test database and the sandbox this
test serves, with the broker of the configuration under test (the database here, Redis in
the PostgreSQL/Redis tier). After the kill, the sweeper gives the dead workers' items back,
a new cluster finishes the run, and Maventa holds each registration once, all known here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from companies.bulk_kinds import start_registration_run
from companies.models import NetworkProfile
from maventa_portal.core.bulk import sweeper
from maventa_portal.core.models import BulkItem, BulkRun

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
COMPANIES = 24


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_cluster(sandbox_url: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MAVENTA_SANDBOX_URL": sandbox_url,
        "Q_CLUSTER_NAME": "bulk",
        "BULK_CONCURRENCY": "4",
        "BULK_LEASE_SECONDS": str(LEASE_SECONDS),
        "CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "qcluster"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def test_killing_the_bulk_cluster_mid_run_loses_nothing_and_registers_nothing_twice(
    sandbox, make_company, settings, tmp_path
):
    settings.BULK_LEASE_SECONDS = LEASE_SECONDS
    settings.BULK_STALL_SECONDS = 0
    companies = [make_company(country=("FI", "NO", "SE")[n % 3]) for n in range(COMPANIES)]
    sandbox.set_faults(latency_ms=150)
    run = start_registration_run(
        companies=companies, network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"]
    )
    items = BulkItem.objects.filter(run=run)
    log = tmp_path / "cluster.log"

    first = _start_cluster(settings.MAVENTA_SANDBOX_URL, log)
    try:
        _wait(lambda: items.filter(status="done").count() >= 4, 60, "the first items")
    finally:
        _kill_group(first)
    stranded = items.filter(status__in=["pending", "running"]).count()
    assert stranded > 0, "the kill came too late to test anything"

    time.sleep(LEASE_SECONDS + 0.5)
    second = _start_cluster(settings.MAVENTA_SANDBOX_URL, log)
    try:
        sweeper.sweep()
        _wait(
            lambda: BulkRun.objects.get(pk=run.pk).finished_at is not None,
            90,
            f"the run to finish (cluster log: {log})",
        )
    finally:
        _kill_group(second)

    assert items.filter(status="done").count() == COMPANIES, list(
        items.exclude(status="done").values_list("label", "status", "message")
    )
    for company in companies:
        at_maventa = [
            p for p in sandbox.profiles_of(str(company.maventa_id)) if p["network"] == "VISMA"
        ]
        assert len(at_maventa) == 1, f"{company} is registered {len(at_maventa)} times"
        known = NetworkProfile.objects.filter(company=company, maventa_id=at_maventa[0]["id"])
        assert known.exists(), f"{company}'s registration is unknown to the portal"


@pytest.fixture(autouse=True)
def _broker_of_the_configuration():
    # The cluster process reads the same settings: REDIS_URL (tier 2) or the database.
    assert settings.Q_CLUSTER.get("redis") or settings.Q_CLUSTER.get("orm")
