"""Ingesting Maventa's webhooks: `POST /webhooks/maventa/` against a bare view, under gunicorn.

The portal runs under gunicorn (gunicorn.conf.py, `WEB_CONCURRENCY` 2 processes of 4 threads)
on loopback, on a scratch SQLite database, with no task cluster: deliveries are stored and
their processing enqueued, as in production, and the bench counts what was stored.

- Throughput: BENCH_CLIENTS keep-alive connections post as fast as they can for BENCH_SECONDS,
  first to a bare view (reads the body, answers 204, same middleware) and then to the webhook
  endpoint with valid events, each distinct, with the secret as `?secret=`.
- Latency: BENCH_RATE requests a second for BENCH_SECONDS, open loop: each request's latency
  counts from the moment it was due, so a server falling behind shows in the figure.
- Lost: events answered 204 and not stored, plus events not answered 204.

The load generator shares the machine's cores with the server. Prints figures; asserts nothing.
Run: make bench (or .venv/bin/python bench/webhooks.py).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from _harness import ROOT, _free_port

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
RATE = int(os.environ.get("BENCH_RATE", "200"))
SECRET = "bench-webhook-secret"  # noqa: S105 - a scratch server's own secret
EVENTS = ("DOCUMENTS.INVOICE.DELIVERED", "DOCUMENTS.INVOICE.FAILED", "DOCUMENTS.INVOICE.RECEIVED")


def _event() -> bytes:
    """A valid delivery of its own (a new invoice id and company each time)."""
    name = EVENTS[uuid.uuid4().int % len(EVENTS)]
    data = {
        "invoice_id": str(uuid.uuid4()),
        "invoice_number": "1003",
        "destination": "PEPPOL",
        "recipient_name": "Recipient",
        "recipient_bid": "933646920",
    }
    if name.endswith("FAILED"):
        data["error_message"] = "Recipient not found"
    payload = {
        "event": name,
        "company_id": str(uuid.uuid4()),
        "event_timestamp": "2026-11-25T12:03:48+02:00",
        "event_data": data,
    }
    return json.dumps(payload).encode()


class Poster:
    """One keep-alive connection; ``post`` returns (status, seconds)."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, body: bytes) -> int:
        self.connection.request(
            "POST", path, body=body, headers={"Content-Type": "application/json"}
        )
        response = self.connection.getresponse()
        response.read()
        return response.status


def _flood(port: int, path: str, seconds: float, make_body, sent: list) -> int:
    """Posts from CLIENTS connections for ``seconds``; the number of answers received."""
    deadline = time.monotonic() + seconds
    counts = [0] * CLIENTS

    def client(index: int) -> None:
        poster = Poster(port)
        while time.monotonic() < deadline:
            body = make_body()
            status = poster.post(path, body)
            sent.append((body, status))
            counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts)


def _paced(port: int, path: str, rate: int, seconds: float, sent: list) -> list[float]:
    """``rate`` requests a second, open loop; latencies in seconds from each one's due time."""
    due_times: queue.Queue = queue.Queue()
    latencies: list[float] = []
    total = int(rate * seconds)

    def client() -> None:
        poster = Poster(port)
        while (due := due_times.get()) is not None:
            body = _event()
            status = poster.post(path, body)
            latencies.append(time.perf_counter() - due)
            sent.append((body, status))

    threads = [threading.Thread(target=client) for _ in range(32)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    for n in range(total):
        due = start + n / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        due_times.put(due)
    for _ in threads:
        due_times.put(None)
    for thread in threads:
        thread.join()
    return latencies


def _wait_until_up(port: int, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Poster(port).post("/webhooks/maventa/bare/", b"{}") == 204:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()}")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="webhook-bench-"))
    port = _free_port()
    env = {
        **os.environ,
        "MAVENTA_ENV": "sandbox",
        "DJANGO_SETTINGS_MODULE": "_webhook_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        # BENCH_DATABASE_URL: an empty database to use instead of a scratch SQLite file.
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{workdir}/bench.sqlite3",
        "MAVENTA_WEBHOOK_SECRET": SECRET,
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    server = subprocess.Popen(  # noqa: S603 - our own configuration, fixed arguments
        [*gunicorn, "--access-logfile", "/dev/null", "maventa_portal.wsgi:application"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "gunicorn.log").open("wb"),
    )
    try:
        _wait_until_up(port, workdir / "gunicorn.log")
        _run(port)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run(port: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from exchange.models import WebhookEvent

    webhook = f"/webhooks/maventa/?secret={SECRET}"
    bare = "/webhooks/maventa/bare/"
    sent: list[tuple[bytes, int]] = []
    _flood(port, bare, 1.0, lambda: b"{}", [])  # warm every worker and thread
    _flood(port, webhook, 1.0, _event, sent)

    bare_count = _flood(port, bare, SECONDS, _event, [])
    webhook_count = _flood(port, webhook, SECONDS, _event, sent)
    latencies = _paced(port, webhook, RATE, SECONDS, sent)
    bare_latencies = _paced(port, bare, RATE, SECONDS, [])

    answered = [body for body, status in sent if status == 204]
    refused = len(sent) - len(answered)
    stored = WebhookEvent.objects.count()
    lost = refused + max(0, len(answered) - stored)

    bare_rate, webhook_rate = bare_count / SECONDS, webhook_count / SECONDS
    print(f"webhooks: gunicorn {os.environ.get('WEB_CONCURRENCY', '2')} processes x 4 threads,")
    print(f"  {CLIENTS} clients for {SECONDS:.0f} s a phase, {os.cpu_count()} cores shared")
    print(f"  bare view                         {bare_rate:.0f} req/s")
    print(f"  /webhooks/maventa/                {webhook_rate:.0f} req/s")
    print(
        f"  latency at {RATE} req/s, ms         webhook p50 "
        f"{statistics.median(latencies) * 1000:.1f}, bare p50 "
        f"{statistics.median(bare_latencies) * 1000:.1f} / p99 "
        f"{_percentile(bare_latencies, 0.99) * 1000:.1f}"
    )
    print(f"  events posted / answered 204 / stored  {len(sent)} / {len(answered)} / {stored}")
    print(f"  throughput vs bare view  {webhook_rate / bare_rate:.2f}x  (target >= 0.5x)")
    print(
        f"  p99 latency ms at {RATE} req/s  {_percentile(latencies, 0.99) * 1000:.1f}  "
        "(target < 50)"
    )
    print(f"  events lost  {lost}  (target = 0)")


if __name__ == "__main__":
    main()
