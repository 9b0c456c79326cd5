"""``manage.py run_portal``: the web server and the task workers together, for ``make run``.

All run as child processes, each in its own session: Ctrl-C reaches only this launcher,
which asks each child to stop (qcluster then stops its own workers), and after that kills
whatever is left of the child's process group, so nothing is left behind. SIGTERM and SIGHUP
do the same; so does any child exiting on its own. Every cluster in
``Q_CLUSTER["ALT_CLUSTERS"]`` gets a worker of its own. On Linux the children are also told
to stop if this launcher dies without cleaning up.

Demo data and schedules are seeded once the web server answers ``/healthz``: app seeders may
talk to the sandbox, which is served by that same web server under ``/sandbox/``.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from maventa_portal.core.demo import DEMO_LOGINS

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it when the launcher goes away (Linux only)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        command,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        preexec_fn=preexec,
    )


def _start_workers() -> list[tuple[str, subprocess.Popen]]:
    """The default cluster, and one qcluster per ``Q_CLUSTER["ALT_CLUSTERS"]`` entry."""
    workers = [("task worker", _start("qcluster"))]
    for name in settings.Q_CLUSTER.get("ALT_CLUSTERS", {}):
        # django-q2 picks an alternative cluster's settings by this variable.
        process = _start("qcluster", env={"Q_CLUSTER_NAME": name})
        workers.append((f"task worker ({name})", process))
    return workers


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the child, which stops its own workers; SIGKILL to whatever its group left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    process.wait()


def _wait_until_healthy(web: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise CommandError(f"The web server exited with code {web.returncode}.")
        try:
            # A fixed http:// URL on loopback, built above from our own host and port.
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise CommandError(f"{url} did not answer 200 within {STARTUP_TIMEOUT:.0f} s.")


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Runs the web server and the django-q2 workers until Ctrl-C (local use)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--no-seed", action="store_true", help="Skip seed_demo and setup_schedules."
        )

    def handle(self, *args, port: int, no_seed: bool, **options) -> None:
        # SIGINT explicitly: a shell starting us in the background may have set it to ignore.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _raise_exit)
        base_url = f"http://{HOST}:{port}"
        children: list[tuple[str, subprocess.Popen]] = []
        try:
            web = _start("runserver", f"{HOST}:{port}", "--noreload")
            children.append(("web server", web))
            children += _start_workers()
            _wait_until_healthy(web, f"{base_url}/healthz")
            if not no_seed:
                self._seed()
            self._announce(base_url)
            self._watch(children)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping...")
        finally:
            for _, process in reversed(children):
                _stop(process)
            self.stdout.write("Web server and task workers stopped.")

    def _seed(self) -> None:
        if settings.MAVENTA_ENV == "sandbox":
            call_command("seed_demo", stdout=self.stdout)
        call_command("setup_schedules", stdout=self.stdout)
        # The launcher only waits from here on: give its database connection back.
        connections.close_all()

    def _announce(self, base_url: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nMaventa Portal: {base_url}/portal/"))
        if settings.MAVENTA_ENV == "sandbox":
            self.stdout.write("Log in as")
            for login in DEMO_LOGINS:
                self.stdout.write(f"  {login.line}")
        self.stdout.write("Press Ctrl-C to stop the web server and the task workers.\n")
        # Shown now even when the output goes to a pipe (make ... | tee run.log).
        self.stdout.flush()

    def _watch(self, children: list[tuple[str, subprocess.Popen]]) -> None:
        while True:
            for name, process in children:
                if process.poll() is not None:
                    raise CommandError(f"The {name} exited with code {process.returncode}.")
            time.sleep(0.5)
