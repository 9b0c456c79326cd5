"""``manage.py run_portal``: the web server and the task workers together, for ``make run``.

All run as child processes, each in its own session, watched by ``core.supervision``: a task
worker that dies (or cannot start, as when Redis does not answer) is started again with a
backoff, its leftover processes killed first; the web server exiting stops the portal.
Ctrl-C reaches only this launcher, which asks each child to stop (qcluster then stops its own
workers), and after that kills whatever is left of the child's process group, so nothing is
left behind. SIGTERM and SIGHUP do the same. Every cluster in ``Q_CLUSTER["ALT_CLUSTERS"]``
gets a worker of its own. On Linux the children are also told to stop if this launcher dies
without cleaning up.

Demo data and schedules are seeded once the web server answers ``/healthz``, even with 503
(Redis down is not a reason to stop): app seeders may talk to the sandbox, which is served
by that same web server under ``/sandbox/``.
"""

import os
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from maventa_portal.core.demo import DEMO_LOGINS
from maventa_portal.core.supervision import (
    Child,
    ChildExited,
    Supervisor,
    stop_on_signals,
    task_workers,
)

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0


def _children(port: int) -> list[Child]:
    web = Child("web server", ("runserver", f"{HOST}:{port}", "--noreload"), essential=True)
    return [web, *task_workers()]


def _wait_until_serving(url: str, supervisor: Supervisor) -> str:
    """Waits for /healthz to answer; returns what it named as down when it answered 503."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        supervisor.check()  # raises when the web server has exited; restarts workers
        try:
            # A fixed http:// URL on loopback, built above from our own host and port.
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return ""
        except urllib.error.HTTPError as exc:
            if exc.code == 503:
                return exc.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise CommandError(f"{url} did not answer within {STARTUP_TIMEOUT:.0f} s.")


class Command(BaseCommand):
    help = "Runs the web server and the django-q2 workers until Ctrl-C (local use)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--no-seed", action="store_true", help="Skip seed_demo and setup_schedules."
        )

    def handle(self, *args, port: int, no_seed: bool, **options) -> None:
        stop_on_signals()
        base_url = f"http://{HOST}:{port}"
        supervisor = Supervisor(_children(port), self._say)
        try:
            supervisor.start()
            down = _wait_until_serving(f"{base_url}/healthz", supervisor)
            if down:
                self._say(f"Serving, but /healthz answers 503: {down}")
            if not no_seed:
                self._seed()
            self._announce(base_url)
            supervisor.watch()
        except ChildExited as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            self.stdout.write("\nStopping...")
        finally:
            supervisor.stop()
            self.stdout.write("Web server and task workers stopped.")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        # Shown now even when the output goes to a pipe (make ... | tee run.log).
        self.stdout.flush()

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
