"""The processes ``run_portal`` keeps running: start, watch, restart, stop.

Each child runs in its own session, so that its whole process group (qcluster's sentinel,
pusher, monitor and workers included) can be stopped at once. The decisions kept here:

- The web server is what staff talk to: when it exits, the portal stops.
- A task worker (qcluster) that exits is started again, after a backoff that doubles from
  ``BACKOFF_FIRST`` to ``BACKOFF_MAX`` seconds and starts over once a worker ran
  ``STEADY_AFTER`` seconds. django-q2's qcluster exits at start when its broker (Redis) does
  not answer; restarting it is how the workers wait for Redis to come back.
- Before a restart the dead child's process group is killed: a qcluster killed outright
  (``kill -9``) leaves its sentinel and workers running, still taking tasks.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
STEADY_AFTER = 60.0
STOP_TIMEOUT = 15.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it when the launcher goes away (Linux only)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def start_manage(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        command,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        preexec_fn=preexec,
    )


def kill_group(pid: int) -> None:
    """SIGKILL to every process left in the group the child ``pid`` leads."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class ChildExited(Exception):
    """An essential child (the web server) exited: the portal stops."""


@dataclass
class Child:
    name: str
    args: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    essential: bool = False
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None

    def start(self) -> None:
        self.process = start_manage(*self.args, env=self.env)
        self.started_at = time.monotonic()
        self.restart_at = None

    def stop(self) -> None:
        """SIGTERM, which qcluster passes on to its workers; then SIGKILL to what is left."""
        if self.process is None or self.restart_at is not None:
            return  # Dead, its group killed already, waiting for its restart.
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        kill_group(self.process.pid)
        self.process.wait()


class Supervisor:
    def __init__(self, children: list[Child], say: Callable[[str], None]) -> None:
        self.children = children
        self.say = say

    def start(self) -> None:
        for child in self.children:
            child.start()
            self.say(f"Started the {child.name} (pid {child.process.pid}).")

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()

    def check(self, now: float | None = None) -> None:
        """One round: restart what is due, notice what died. Raises ChildExited."""
        now = time.monotonic() if now is None else now
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start()
                    self.say(f"Restarted the {child.name} (pid {child.process.pid}).")
                continue
            code = child.process.poll() if child.process else None
            if code is None:
                continue
            if child.essential:
                raise ChildExited(f"The {child.name} exited with code {code}.")
            self._schedule_restart(child, code, now)

    def _schedule_restart(self, child: Child, code: int, now: float) -> None:
        kill_group(child.process.pid)
        if now - child.started_at >= STEADY_AFTER:
            child.backoff = BACKOFF_FIRST
        delay, child.backoff = child.backoff, min(child.backoff * 2, BACKOFF_MAX)
        child.restart_at = now + delay
        self.say(
            f"The {child.name} (pid {child.process.pid}) exited with code {code}; "
            f"its processes are stopped and it restarts in {delay:g} s."
        )

    def watch(self, poll: float = 0.5) -> None:
        while True:
            self.check()
            time.sleep(poll)


def task_workers() -> list[Child]:
    """The default cluster, and one qcluster per ``Q_CLUSTER["ALT_CLUSTERS"]`` entry."""
    workers = [Child("task worker", ("qcluster",))]
    for name in settings.Q_CLUSTER.get("ALT_CLUSTERS", {}):
        # django-q2 picks an alternative cluster's settings by this variable.
        workers.append(Child(f"task worker ({name})", ("qcluster",), {"Q_CLUSTER_NAME": name}))
    return workers


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def stop_on_signals() -> None:
    """Ctrl-C, SIGTERM and SIGHUP unwind the launcher, whose ``finally`` stops the children."""
    # SIGINT explicitly: a shell starting us in the background may have set it to ignore.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_exit)
