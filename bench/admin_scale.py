"""Pages at scale: 100,000 invoices (``seed_load``), the median time of the pages staff open most.

The database: BENCH_DATABASE_URL when set; otherwise PostgreSQL at 127.0.0.1:5432 (database
``bench_admin``, dropped and made again) when it answers; otherwise a scratch SQLite file. The
pages are rendered in this process through Django's test client, logged in as a superuser:
what is timed is the view, its queries and its template, not a network or a server's workers.
Each page is warmed up, then timed BENCH_REPEAT times (default 15).

Prints figures; asserts nothing. Run: make bench (or .venv/bin/python bench/admin_scale.py).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INVOICES = int(os.environ.get("BENCH_INVOICES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
TARGET_MS = 300
POSTGRES = "postgres://postgres@127.0.0.1:5432/{name}"
PG_DATABASE = "bench_admin"
PAGES = [
    ("invoice changelist", "admin:exchange_invoice_changelist"),
    ("fleet view", "companies:list"),
    ("needs attention", "portal:attention"),
    ("dashboard", "portal:home"),
]


def _database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    import psycopg

    try:
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres",
            connect_timeout=2,
            autocommit=True,
        ) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
        return POSTGRES.format(name=PG_DATABASE)
    except psycopg.OperationalError:
        workdir = tempfile.mkdtemp(prefix="admin-scale-bench-")
        return f"sqlite:///{workdir}/bench.sqlite3"


def _prepare(url: str) -> float:
    env = {
        **os.environ,
        "MAVENTA_ENV": "sandbox",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
    }
    # The local-memory cache: each bench run alone, whatever Redis another run uses.
    env.pop("REDIS_URL", None)
    os.environ.update({k: env[k] for k in ("MAVENTA_ENV", "DATABASE_URL", "ALLOWED_HOSTS")})
    os.environ.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [*manage, "seed_load", "--invoices", str(INVOICES)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _median_ms(client, url: str) -> float:
    for _ in range(2):
        if client.get(url).status_code != 200:
            raise PageFailed("failed while warming up")
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise PageFailed(f"answered {response.status_code}")
    return statistics.median(times)


class PageFailed(Exception):
    pass


def main() -> None:
    url = _database_url()
    loaded = _prepare(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maventa_portal.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    # A failing page is reported and the others still timed.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    print(
        f"admin_scale: {INVOICES} invoices on {connection.vendor} (seed_load {loaded:.0f} s), "
        f"median of {REPEAT} requests"
    )
    for label, name in PAGES:
        try:
            path = reverse(name)
        except NoReverseMatch:
            print(f"  {label}: {name} does not exist yet, skipped")
            continue
        try:
            median = _median_ms(client, path)
        except PageFailed as exc:
            print(f"  {label}: {path} {exc}, not timed")
            continue
        print(f"  {label} median ms  {median:.0f}  (target < {TARGET_MS})")


if __name__ == "__main__":
    main()
