"""Bulk profile registration: 500 companies x (VISMA, then PEPPOL), 50 ms added per sandbox call.

The portal (with its sandbox) runs as BENCH_SANDBOX_PROCESSES child processes (default 2) on one
scratch SQLite database with the default ORM broker, each with a `bulk` task cluster; the
clusters' workers (BULK_WORKERS each) add up to BULK_CONCURRENCY. The run's wall time (from
enqueueing to the last company finished) is set against the bound calls x latency /
concurrency, where calls are every request that reached the sandbox (token, VISMA and
PEPPOL per company). Prints
figures; asserts nothing. Run: make bench (or .venv/bin/python bench/bulk_register.py).
"""

from __future__ import annotations

import os
import time

from _harness import cpu_seconds, portal_servers, seed_companies, start_cluster

COMPANIES = int(os.environ.get("BENCH_COMPANIES", "500"))
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "50"))
CONCURRENCY = int(os.environ.get("BULK_CONCURRENCY", "8"))
# Maventa answers from many servers; one sandbox process would make its own queueing part of
# the measurement (it runs on the same cores as the workers).
SANDBOX_PROCESSES = int(os.environ.get("BENCH_SANDBOX_PROCESSES", "2"))


def main() -> None:
    with portal_servers(SANDBOX_PROCESSES, {"BULK_CONCURRENCY": str(CONCURRENCY)}) as bases:
        from companies.bulk_kinds import start_registration_run
        from companies.models import Company
        from maventa_portal.core.bulk.selectors import counts as progress
        from maventa_portal.core.models import BulkRun
        from maventa_portal.sandbox.control_client import SandboxControl

        controls = [SandboxControl(base) for base in bases]
        for control in controls:
            control.reset()
        companies = seed_companies(controls[0], COMPANIES)

        # The limit is shared out over one `bulk` cluster per sandbox process; together they
        # take the run's tasks from the one queue, never more than CONCURRENCY at a time.
        shares = [
            CONCURRENCY // len(bases) + (i < CONCURRENCY % len(bases)) for i in range(len(bases))
        ]
        clusters = [
            # Its own share of the workers; the kind's bound stays BULK_CONCURRENCY in all.
            start_cluster({"BULK_WORKERS": str(n), "MAVENTA_SANDBOX_URL": base})
            for n, base in zip(shares, bases, strict=True)
            if n
        ]
        try:
            time.sleep(4)  # let the clusters start their workers before the clock starts
            for control in controls:
                control.set_faults(latency_ms=LATENCY_MS)
            server_pids = portal_servers.pids
            cpu_before = (
                sum(map(cpu_seconds, server_pids)),
                sum(cpu_seconds(c.pid) for c in clusters),
            )
            started = time.perf_counter()
            run = start_registration_run(
                companies=Company.objects.filter(pk__in=companies),
                network="PEPPOL",
                profiles=["INVOICE_AND_CREDIT_NOTE"],
                include_visma=True,
            )
            unfinished = BulkRun.objects.filter(pk=run.pk, finished_at__isnull=True)
            while unfinished.exists():
                time.sleep(0.1)
            wall = time.perf_counter() - started
            cpu_server = sum(map(cpu_seconds, server_pids)) - cpu_before[0]
            cpu_workers = sum(cpu_seconds(c.pid) for c in clusters) - cpu_before[1]
        finally:
            for cluster in clusters:
                cluster.terminate()
            for cluster in clusters:
                cluster.wait(timeout=30)

        counts = progress(run)
        calls = sum(sum(control.stats()["requests"].values()) for control in controls)
        bound = calls * LATENCY_MS / 1000 / CONCURRENCY
        print(f"bulk_register: {COMPANIES} companies x (VISMA, PEPPOL), {LATENCY_MS} ms per call")
        print(f"  concurrency (bulk workers)  {CONCURRENCY}, over {len(bases)} sandbox processes")
        print(f"  done / failed               {counts['done']} / {counts['failed']}")
        print(f"  sandbox calls               {calls}")
        print(f"  bound calls*latency/conc.   {bound:.2f} s")
        print(f"  wall time                   {wall:.2f} s")
        print(f"  ratio wall / bound          {wall / bound:.2f}x  (target <= 1.25x)")
        per = 1000 / COMPANIES
        print(
            f"  CPU per company             sandbox {cpu_server * per:.1f} ms, "
            f"bulk clusters {cpu_workers * per:.1f} ms ({os.cpu_count()} cores in all)"
        )
        if os.environ.get("BENCH_TIMELINE"):
            stamps = sorted(run.items.values_list("updated_at", flat=True))
            for q in (0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0):
                stamp = stamps[min(len(stamps) - 1, int(q * len(stamps)))]
                print(f"  {q:>4.0%} finished at {(stamp - run.created_at).total_seconds():.2f} s")


if __name__ == "__main__":
    main()
