"""Fetching received invoices: 2,000 invoices over 20 companies, 30 ms added per sandbox call.

The portal (with its sandbox) runs as BENCH_SANDBOX_PROCESSES child processes (default 2) on one
scratch SQLite database with the default ORM broker, each with a `bulk` task cluster; their
workers add up to BULK_CONCURRENCY (10: 20 companies take two rounds). Each company received
100 invoices over the last two days (the sandbox's MIXED samples: about half with a PDF of
their own, a quarter with an attachment).

- Concurrent: the schedule's entry (`sync_all_received`), one bulk run over the 20 companies,
  timed from its start to its last company done, against the bound calls x latency /
  concurrency, where calls are every request that reached the sandbox (tokens, lists, files).
- Sequential: the same sync again from scratch (the portal's invoices and watermarks deleted),
  company after company in this process, as `manage.py sync_received` runs it: the same
  calls one at a time, without the bulk engine's overhead (so the speed-up is not flattered).

Prints figures; asserts nothing. Run: make bench (or .venv/bin/python bench/sync_received.py).
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import timedelta

from _harness import cpu_seconds, portal_servers, seed_companies, start_cluster

COMPANIES = int(os.environ.get("BENCH_COMPANIES", "20"))
PER_COMPANY = int(os.environ.get("BENCH_INVOICES_PER_COMPANY", "100"))
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "30"))
CONCURRENCY = int(os.environ.get("BULK_CONCURRENCY", "10"))
SANDBOX_PROCESSES = int(os.environ.get("BENCH_SANDBOX_PROCESSES", "2"))
DAYS = 2


def _calls(controls) -> int:
    return sum(sum(control.stats()["requests"].values()) for control in controls)


def _restart_counters(controls) -> None:
    for control in controls:
        control.reset()
        control.set_faults(latency_ms=LATENCY_MS)


def _concurrent(controls, bases) -> tuple[float, int, object, float, float]:
    from exchange.services.receiving import sync_all_received
    from maventa_portal.core.models import BulkRun

    shares = [CONCURRENCY // len(bases) + (i < CONCURRENCY % len(bases)) for i in range(len(bases))]
    clusters = [
        start_cluster({"BULK_WORKERS": str(n), "MAVENTA_SANDBOX_URL": base})
        for n, base in zip(shares, bases, strict=True)
        if n
    ]
    try:
        time.sleep(4)  # let the clusters start their workers before the clock starts
        _restart_counters(controls)
        servers = portal_servers.pids
        cpu_before = sum(cpu_seconds(c.pid) for c in clusters)
        server_before = sum(map(cpu_seconds, servers))
        started = time.perf_counter()
        run = BulkRun.objects.get(pk=sync_all_received()["run"])
        unfinished = BulkRun.objects.filter(pk=run.pk, finished_at__isnull=True)
        while unfinished.exists():
            time.sleep(0.05)
        wall = time.perf_counter() - started
        cpu_workers = sum(cpu_seconds(c.pid) for c in clusters) - cpu_before
        cpu_server = sum(map(cpu_seconds, servers)) - server_before
    finally:
        for cluster in clusters:
            cluster.terminate()
        for cluster in clusters:
            cluster.wait(timeout=30)
    return wall, _calls(controls), run, cpu_workers, cpu_server


def _sequential(controls, companies) -> tuple[float, int]:
    from exchange.models import Invoice, ReceiveWatermark
    from exchange.services.receiving import sync_received

    Invoice.objects.filter(company__in=companies).delete()
    ReceiveWatermark.objects.filter(company__in=companies).delete()
    _restart_counters(controls)
    started = time.perf_counter()
    for company in companies:
        sync_received(company=company)
    return time.perf_counter() - started, _calls(controls)


def main() -> None:
    env = {"BULK_CONCURRENCY": str(CONCURRENCY), "MEDIA_ROOT": tempfile.mkdtemp(prefix="media-")}
    with portal_servers(SANDBOX_PROCESSES, env) as bases:
        from django.utils import timezone

        from companies.models import Company
        from exchange.models import Attachment, Invoice
        from maventa_portal.core.bulk.selectors import counts as progress
        from maventa_portal.sandbox.control_client import SandboxControl

        controls = [SandboxControl(base, timeout=120) for base in bases]
        ids = seed_companies(controls[0], COMPANIES, prefix="Receiver")
        companies = list(Company.objects.filter(pk__in=ids).select_related("credential"))
        since = timezone.now() - timedelta(days=DAYS)
        seeding = time.perf_counter()
        for company in companies:
            controls[0].incoming(str(company.maventa_id), count=PER_COMPANY, since=since)
        seeding = time.perf_counter() - seeding

        wall, calls, run, cpu_workers, cpu_server = _concurrent(controls, bases)
        counts = progress(run)
        stored = Invoice.objects.filter(company__in=companies).count()
        attachments = Attachment.objects.filter(invoice__company__in=companies).count()
        seq_wall, seq_calls = _sequential(controls, companies)

        total = COMPANIES * PER_COMPANY
        bound = calls * LATENCY_MS / 1000 / CONCURRENCY
        print(f"sync_received: {total} invoices over {COMPANIES} companies, {LATENCY_MS} ms a call")
        print(f"  seeding (sandbox generator)       {seeding:.1f} s")
        print(f"  concurrency (bulk workers)        {CONCURRENCY}, {len(bases)} sandbox processes")
        print(f"  companies done / failed           {counts['done']} / {counts['failed']}")
        print(f"  invoices stored / attachments     {stored} / {attachments}")
        print(f"  sandbox calls                     {calls} ({calls / total:.2f} per invoice)")
        print(f"  bound calls*latency/conc.         {bound:.2f} s")
        # Both sides share the machine's cores: their CPU is a floor of its own.
        cpu_floor = (cpu_workers + cpu_server) / (os.cpu_count() or 1)
        print(f"  CPU floor (all CPU / cores)       {cpu_floor:.2f} s")
        print(f"  wall time                         {wall:.2f} s")
        print(f"  sequential wall time (inline)     {seq_wall:.2f} s, {seq_calls} calls")
        print(
            f"  CPU per sandbox call              sandbox {cpu_server * 1000 / calls:.1f} ms, "
            f"bulk clusters {cpu_workers * 1000 / calls:.1f} ms ({os.cpu_count()} cores in all)"
        )
        print(f"  ratio wall / bound  {wall / bound:.2f}x  (target <= 1.25x)")
        print(f"  speed-up over sequential  {seq_wall / wall:.2f}x  (target >= 6x)")
        # When each company finished: two rounds of BULK_CONCURRENCY companies show as two bunches.
        stamps = sorted(run.items.values_list("updated_at", flat=True))
        finished = " ".join(f"{(stamp - run.created_at).total_seconds():.1f}" for stamp in stamps)
        print(f"  companies finished at (s)         {finished}")


if __name__ == "__main__":
    main()
