"""Starts the portal (with its sandbox) in a child process on a scratch database for benchmarks.

The server runs in its own process so that its work does not share this process's GIL with
the client being measured.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live descendants, from /proc (0.0 where there is none)."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        pending.extend(int(child) for child in children)
    return total


@contextlib.contextmanager
def portal_servers(count: int = 1, extra_env: dict[str, str] | None = None) -> Iterator[list[str]]:
    """Yields the sandbox base URLs of `count` portal processes on one freshly migrated
    database; Django is set up in this process too, pointed at the first of them."""
    workdir = tempfile.mkdtemp(prefix="portal-bench-")
    ports = [_free_port() for _ in range(count)]
    bases = [f"http://127.0.0.1:{port}/sandbox" for port in ports]
    env = {
        **os.environ,
        "MAVENTA_ENV": "sandbox",
        # BENCH_DATABASE_URL: an empty database to use instead of a scratch SQLite file.
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{workdir}/bench.sqlite3",
        "MAVENTA_SANDBOX_URL": bases[0],
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603 - our manage.py
    servers = [
        subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for base in bases:
            _wait_until_up(f"{base}/_control/stats")
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maventa_portal.settings")
        django.setup()
        portal_servers.pids = [server.pid for server in servers]
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


@contextlib.contextmanager
def portal_server(extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """One portal process: yields its sandbox base URL."""
    with portal_servers(1, extra_env) as bases:
        yield bases[0]


def _wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(url, timeout=1).ok:
                return
        time.sleep(0.1)
    raise RuntimeError(f"The portal did not start within {timeout:.0f} s.")


def seed_companies(control, count: int, *, offset: int = 0, prefix: str = "Bench") -> list[int]:
    """``count`` verified companies at the sandbox and in the portal, each with its key."""
    from companies.bids import example_bid
    from companies.models import Company, CompanyCredential

    ids = []
    for n in range(offset, offset + count):
        country = ("FI", "NO", "SE", "NL")[n % 4]
        bid = example_bid(country, n * 3)
        account = control.create_company(name=f"{prefix} {n}", bid=bid, country=country)
        company = Company.objects.create(
            name=f"{prefix} {n}",
            bid=bid,
            country=country,
            maventa_id=account["company_id"],
            company_state="VERIFIED",
        )
        credential = CompanyCredential(company=company)
        credential.set_api_key(account["api_key"])
        credential.save()
        ids.append(company.pk)
    return ids


def start_cluster(env: dict[str, str]) -> subprocess.Popen:
    """A `bulk` task cluster in its own process group, with ``env`` over this environment."""
    return subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "qcluster"],
        env={**os.environ, "Q_CLUSTER_NAME": "bulk", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
