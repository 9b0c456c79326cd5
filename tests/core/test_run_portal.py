"""``run_portal`` (what ``make run`` ends in): it serves, keeps its task workers running
(restarting one that dies or cannot reach Redis), and Ctrl-C leaves no process behind."""

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from maventa_portal.core.demo import DEMO_LOGINS

BASE_DIR = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
    pytest.mark.slow,  # real processes started, signalled and waited for
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # Field 4 of /proc/<pid>/stat is the parent; the name before it may hold spaces.
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)


def wait_for_line(
    process: subprocess.Popen, lines: queue.Queue, text: str, timeout: float
) -> list[str]:
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=0.5))
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if text in seen[-1]:
            return seen
    raise AssertionError(f"{text!r} not printed (exit code {process.poll()}):\n{''.join(seen)}")


def start_portal(tmp_path, port: int, **env_changes: str) -> tuple[subprocess.Popen, queue.Queue]:
    return launch(tmp_path, "run_portal", "--port", str(port), port=port, **env_changes)


def launch(
    tmp_path, *command: str, port: int = 8000, **env_changes: str
) -> tuple[subprocess.Popen, queue.Queue]:
    env = {
        **os.environ,
        "MAVENTA_ENV": "sandbox",
        # Its own database and the ORM broker, whatever the suite itself runs on.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),  # the demo's stored files, not the checkout's
        "MAVENTA_SANDBOX_URL": f"http://127.0.0.1:{port}/sandbox",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    env.update(env_changes)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, "migrate", "--noinput", "-v0"], env=env, cwd=BASE_DIR, check=True, timeout=300
    )
    launcher = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, *command],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(launcher.stdout, lines), daemon=True).start()
    return launcher, lines


def stop_portal(launcher: subprocess.Popen) -> None:
    if launcher.poll() is None:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait()


def started_pid(output: str, name: str) -> int:
    found = re.findall(rf"(?:Started|Restarted) the {re.escape(name)} \(pid (\d+)\)", output)
    assert found, f"no start of the {name} in:\n{output}"
    return int(found[-1])


def test_run_portal_serves_and_stops_every_process_on_ctrl_c(tmp_path):
    port = free_port()
    launcher, lines = start_portal(tmp_path, port)
    try:
        output = "".join(wait_for_line(launcher, lines, "Press Ctrl-C", timeout=120))
        children = descendants(launcher.pid)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            health = response.status

        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=60)

        assert f"http://127.0.0.1:{port}/portal/" in output
        for login in DEMO_LOGINS:
            assert login.line in output
        assert health == 200
        # runserver, qcluster and its workers: more than the two direct children.
        assert len(children) > 2
        assert [pid for pid in children if alive(pid)] == []
    finally:
        stop_portal(launcher)


def test_a_killed_worker_is_restarted_and_its_processes_do_not_outlive_it(tmp_path):
    port = free_port()
    launcher, lines = start_portal(tmp_path, port)
    try:
        output = "".join(wait_for_line(launcher, lines, "Press Ctrl-C", timeout=120))
        bulk = started_pid(output, "task worker (bulk)")
        # qcluster forks its sentinel, which forks the pusher, monitor and workers.
        old = wait_for(lambda: len(descendants(bulk)) >= 3 and descendants(bulk))

        os.kill(bulk, signal.SIGKILL)
        output += "".join(wait_for_line(launcher, lines, "Restarted the task worker (bulk)", 30))
        restarted = started_pid(output, "task worker (bulk)")
        new = wait_for(lambda: len(descendants(restarted)) >= 3 and descendants(restarted))

        assert f"The task worker (bulk) (pid {bulk}) exited with code -9" in output
        assert "restarts in 1 s" in output
        assert restarted != bulk
        assert [pid for pid in old if alive(pid)] == []
        assert new.isdisjoint(old)
        # The rest of the portal went on serving.
        assert launcher.poll() is None
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            assert response.status == 200

        everything = descendants(launcher.pid)
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=60)
        assert [pid for pid in everything | new if alive(pid)] == []
    finally:
        stop_portal(launcher)


def test_workers_keep_retrying_while_redis_does_not_answer(tmp_path):
    port = free_port()
    # Nothing listens on port 1: the cache and the broker both fail at once.
    launcher, lines = start_portal(tmp_path, port, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        output = "".join(wait_for_line(launcher, lines, "Press Ctrl-C", timeout=120))
        output += "".join(wait_for_line(launcher, lines, "restarts in 2 s", timeout=30))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/portal/login/", timeout=5) as page:  # noqa: S310
            login_page = page.status

        assert "/healthz answers 503" in output
        assert '"broker": "unavailable"' in output
        assert "restarts in 1 s" in output
        assert login_page == 200
        assert launcher.poll() is None

        children = descendants(launcher.pid)
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=60)
        assert [pid for pid in children if alive(pid)] == []
    finally:
        stop_portal(launcher)


def test_run_workers_keeps_the_clusters_running_until_sigterm(tmp_path):
    launcher, lines = launch(tmp_path, "run_workers", REDIS_URL="redis://127.0.0.1:1/0")
    try:
        output = "".join(wait_for_line(launcher, lines, "restarts in 2 s", timeout=60))
        children = descendants(launcher.pid)

        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=60)

        assert "Started the task worker (pid " in output
        assert "Started the task worker (bulk) (pid " in output
        assert "web server" not in output
        assert [pid for pid in children if alive(pid)] == []
    finally:
        stop_portal(launcher)


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")
