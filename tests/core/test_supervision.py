"""The supervisor's decisions, on real short-lived processes: a worker that exits is restarted
after 1, 2, 4 ... 30 s; one that ran steadily starts over at 1 s; the web server exiting stops
everything. ``test_run_portal`` checks the same on the real portal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from maventa_portal.core import supervision
from maventa_portal.core.supervision import Child, ChildExited, Supervisor


@pytest.fixture(autouse=True)
def quick_children(monkeypatch):
    """Children that exit with code 3 at once (or sleep, when asked), instead of manage.py."""

    def start(*args: str, env=None) -> subprocess.Popen:
        code = "import time; time.sleep(60)" if args == ("sleep",) else "raise SystemExit(3)"
        return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)  # noqa: S603

    monkeypatch.setattr(supervision, "start_manage", start)


def exited(child: Child) -> Child:
    child.process.wait(timeout=10)
    return child


def test_a_worker_is_restarted_with_a_doubling_backoff_up_to_30_seconds():
    said: list[str] = []
    worker = Child("task worker", ("qcluster",))
    supervisor = Supervisor([worker], said.append)
    supervisor.start()
    now, delays = 1000.0, []

    for _ in range(7):
        exited(worker)
        worker.started_at = now
        supervisor.check(now=now)
        delays.append(worker.restart_at - now)
        now = worker.restart_at
        supervisor.check(now=now)  # due: started again

    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert said[1].endswith("exited with code 3; its processes are stopped and it restarts in 1 s.")
    assert said[2].startswith("Restarted the task worker (pid ")
    supervisor.stop()


def test_a_worker_that_ran_steadily_starts_over_at_one_second():
    worker = Child("task worker", ("qcluster",), backoff=16.0)
    supervisor = Supervisor([worker], lambda line: None)
    supervisor.start()
    exited(worker)

    supervisor.check(now=worker.started_at + supervision.STEADY_AFTER + 1)

    assert worker.restart_at - worker.started_at == pytest.approx(supervision.STEADY_AFTER + 2)
    supervisor.stop()


def test_the_web_server_exiting_stops_the_portal():
    web = Child("web server", ("runserver",), essential=True)
    worker = Child("task worker", ("sleep",))
    supervisor = Supervisor([web, worker], lambda line: None)
    supervisor.start()
    exited(web)

    with pytest.raises(ChildExited, match="The web server exited with code 3"):
        supervisor.check()
    supervisor.stop()

    assert worker.process.poll() is not None
