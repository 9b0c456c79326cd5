"""Bulk registration while the bulk cluster is killed: 500 companies x PEPPOL (VISMA first),
50 ms added per sandbox call, the cluster's whole process group killed with SIGKILL twice
mid-run and started again.

Runs on PostgreSQL and Redis when they answer on 127.0.0.1 (a scratch database and Redis
database 9, both emptied), else on a scratch SQLite file with the database broker. The
sweeper, scheduled every minute in the portal, runs every second here, and items are leased
for BULK_LEASE_SECONDS (5 s here), so that a dead worker's item is back within seconds. The
same run, undisturbed on as many other companies, gives the wall time to compare with.
Prints figures; asserts nothing. Run: make bench (or .venv/bin/python bench/bulk_chaos.py).
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import Counter

from _harness import portal_servers, seed_companies, start_cluster

COMPANIES = int(os.environ.get("BENCH_COMPANIES", "500"))
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "50"))
WORKERS = int(os.environ.get("BULK_CONCURRENCY", "8"))
LEASE_SECONDS = 5
KILL_AT = (0.2, 0.6)  # share of the run's items ended when the cluster is killed
REDIS_DB_URL = "redis://127.0.0.1:6379/9"


def _postgres_and_redis() -> tuple[str, str] | None:
    """A fresh PostgreSQL database and an emptied Redis database, or None if either is absent."""
    try:
        import psycopg
        import redis

        redis.Redis.from_url(REDIS_DB_URL, socket_connect_timeout=2).flushdb()
        name = f"bench_chaos_{uuid.uuid4().hex[:8]}"
        for user in ("postgres", "root"):
            try:
                with psycopg.connect(
                    host="127.0.0.1",
                    dbname="postgres",
                    user=user,
                    autocommit=True,
                    connect_timeout=3,
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                return f"postgres://{user}@127.0.0.1:5432/{name}", REDIS_DB_URL
            except psycopg.OperationalError:
                continue
    except Exception:  # noqa: S110 - any failure means: use the SQLite default
        pass
    return None


def _drop_database(url: str) -> None:
    import psycopg

    user, _, rest = url.removeprefix("postgres://").partition("@")
    name = rest.rpartition("/")[2]
    with psycopg.connect(host="127.0.0.1", dbname="postgres", user=user, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kill(cluster) -> None:
    try:
        os.killpg(cluster.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    cluster.wait(timeout=10)


def _run(ids, *, kills: tuple[float, ...], cluster_env):
    """Starts a run over ``ids`` and waits for it: its wall time, the kills done, the run."""
    from companies.bulk_kinds import start_registration_run
    from companies.models import Company
    from maventa_portal.core.bulk import sweeper
    from maventa_portal.core.models import BulkItem, BulkRun

    cluster = start_cluster(cluster_env)
    time.sleep(4)  # the cluster's workers start before the clock does
    started = time.perf_counter()
    run = start_registration_run(
        companies=Company.objects.filter(pk__in=ids),
        network="PEPPOL",
        profiles=["INVOICE_AND_CREDIT_NOTE"],
        include_visma=True,
    )
    pending_kills = list(kills)
    done = 0
    try:
        while BulkRun.objects.filter(pk=run.pk, finished_at=None).exists():
            ended = BulkItem.objects.filter(run=run, status__in=["done", "failed"]).count()
            if pending_kills and ended >= pending_kills[0] * len(ids):
                pending_kills.pop(0)
                _kill(cluster)
                done += 1
                cluster = start_cluster(cluster_env)
            swept = sweeper.sweep()
            if os.environ.get("BENCH_TIMELINE"):
                running = BulkItem.objects.filter(run=run, status="running").count()
                at = time.perf_counter() - started
                print(f"  {at:6.1f} s  {ended} ended, {running} running, swept {swept}")
            time.sleep(1)
    finally:
        _kill(cluster)
    return time.perf_counter() - started, done, run


def main() -> None:
    backends = _postgres_and_redis()
    extra = {"BULK_LEASE_SECONDS": str(LEASE_SECONDS), "BULK_STALL_SECONDS": "0"}
    if backends:
        os.environ["BENCH_DATABASE_URL"], os.environ["REDIS_URL"] = backends
        extra["REDIS_URL"] = backends[1]
    with portal_servers(2, extra) as bases:
        from django.db import connections

        from companies.models import Company, NetworkProfile
        from maventa_portal.core.bulk.selectors import counts
        from maventa_portal.sandbox.control_client import SandboxControl

        control = SandboxControl(bases[0])
        control.reset()
        calm = seed_companies(control, COMPANIES, prefix="Calm")
        chaos = seed_companies(control, COMPANIES, offset=COMPANIES, prefix="Chaos")
        SandboxControl(bases[1]).set_faults(latency_ms=LATENCY_MS)
        control.set_faults(latency_ms=LATENCY_MS)
        env = {"BULK_WORKERS": str(WORKERS), "MAVENTA_SANDBOX_URL": bases[1]}

        calm_wall, _, _ = _run(calm, kills=(), cluster_env=env)
        wall, kills, run = _run(chaos, kills=KILL_AT, cluster_env=env)

        found = counts(run)
        reasons = Counter(run.items.filter(status="failed").values_list("message", flat=True))
        twice = unknown = 0
        known = set(NetworkProfile.objects.values_list("maventa_id", flat=True))
        for maventa_id in Company.objects.filter(pk__in=chaos).values_list("maventa_id", flat=True):
            at_maventa = control.profiles_of(str(maventa_id))
            twice += sum(1 for p in at_maventa if p["network"] == "PEPPOL") > 1
            unknown += sum(1 for p in at_maventa if p["id"] not in known)
        connections.close_all()
    if backends:
        _drop_database(backends[0])

    where = "PostgreSQL and Redis" if backends else "SQLite and the database broker"
    print(f"bulk_chaos: {COMPANIES} companies x PEPPOL (VISMA first), {LATENCY_MS} ms per call")
    print(f"  on                                  {where}, {WORKERS} bulk workers")
    print(f"  cluster killed (kill -9 its group)  {kills} times")
    print(f"  done / failed                       {found['done']} / {found['failed']}")
    print(f"  items not finished                  {found['open']}  (target = 0)")
    print(f"  registered twice at Maventa         {twice}  (target = 0)")
    print(f"  registrations at Maventa unknown to the portal  {unknown}  (target = 0)")
    print(f"  wall time undisturbed               {calm_wall:.2f} s")
    print(f"  wall time with the kills            {wall:.2f} s")
    print(f"  ratio disturbed / undisturbed       {wall / calm_wall:.2f}x")
    for reason, count in reasons.most_common(5):
        print(f"  failed {count}x: {reason}")


if __name__ == "__main__":
    main()
