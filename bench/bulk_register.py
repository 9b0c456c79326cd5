"""Bulk profile registration: 500 companies x (VISMA, then PEPPOL), 50 ms added per sandbox call.

The portal (with its sandbox) and a `bulk` task cluster run as child processes on a scratch
SQLite database with the default ORM broker. The run's wall time (from enqueueing to the
last company finished) is set against the bound calls x latency / concurrency, where calls
are every request that reached the sandbox (token, VISMA and PEPPOL per company). Prints
figures; asserts nothing. Run: make bench (or .venv/bin/python bench/bulk_register.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from _harness import ROOT, cpu_seconds, portal_server

COMPANIES = int(os.environ.get("BENCH_COMPANIES", "500"))
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "50"))
CONCURRENCY = int(os.environ.get("BULK_CONCURRENCY", "8"))


def main() -> None:
    with portal_server({"BULK_CONCURRENCY": str(CONCURRENCY)}) as base:
        from companies.models import BulkRegistration, Company, CompanyCredential
        from companies.services.bulk import progress, start_bulk_registration
        from tests.factories import valid_bid
        from tests.sandbox_control import SandboxControl

        control = SandboxControl(base)
        control.reset()
        companies = []
        for n in range(COMPANIES):
            country = ("FI", "NO", "SE", "NL")[n % 4]
            bid = valid_bid(country, n * 3)
            account = control.create_company(name=f"Bench {n}", bid=bid, country=country)
            company = Company.objects.create(
                name=f"Bench {n}",
                bid=bid,
                country=country,
                maventa_id=account["company_id"],
                company_state="VERIFIED",
            )
            credential = CompanyCredential(company=company)
            credential.set_api_key(account["api_key"])
            credential.save()
            companies.append(company.pk)

        worker = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, str(ROOT / "manage.py"), "qcluster"],
            env={**os.environ, "Q_CLUSTER_NAME": "bulk", "BULK_CONCURRENCY": str(CONCURRENCY)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(4)  # let the cluster start its workers before the clock starts
            control.set_faults(latency_ms=LATENCY_MS)
            cpu_before = (cpu_seconds(portal_server.pid), cpu_seconds(worker.pid))
            started = time.perf_counter()
            run = start_bulk_registration(
                company_ids=companies,
                network="PEPPOL",
                profiles=["INVOICE_AND_CREDIT_NOTE"],
                include_visma=True,
            )
            while not BulkRegistration.objects.filter(
                pk=run.pk, finished_at__isnull=False
            ).exists():
                time.sleep(0.1)
            wall = time.perf_counter() - started
            cpu_server = cpu_seconds(portal_server.pid) - cpu_before[0]
            cpu_workers = cpu_seconds(worker.pid) - cpu_before[1]
        finally:
            worker.terminate()
            worker.wait(timeout=30)

        counts = progress(run)
        if os.environ.get("BENCH_TIMELINE"):
            stamps = sorted(run.items.values_list("updated_at", flat=True))
            first = run.created_at
            for q in (0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0):
                stamp = stamps[min(len(stamps) - 1, int(q * len(stamps)))]
                print(f"  {q:>4.0%} finished at {(stamp - first).total_seconds():.2f} s")
        calls = sum(control.stats()["requests"].values())
        bound = calls * LATENCY_MS / 1000 / CONCURRENCY
        print(f"bulk_register: {COMPANIES} companies x (VISMA, PEPPOL), {LATENCY_MS} ms per call")
        print(f"  concurrency (bulk workers)  {CONCURRENCY}")
        print(f"  done / failed               {counts['done']} / {counts['failed']}")
        print(f"  sandbox calls               {calls}")
        print(f"  bound calls*latency/conc.   {bound:.2f} s")
        print(f"  wall time                   {wall:.2f} s")
        print(f"  ratio wall / bound          {wall / bound:.2f}x  (target <= 1.25x)")
        per = 1000 / COMPANIES
        print(
            f"  CPU per company             sandbox server {cpu_server * per:.1f} ms, "
            f"bulk cluster {cpu_workers * per:.1f} ms ({os.cpu_count()} cores in all)"
        )


if __name__ == "__main__":
    main()
