"""Hooks the contract checks into every test run (loaded by ``tests/conftest.py``).

- Every sandbox answer is observed (``SANDBOX_OBSERVER``) in every test, not only in this
  package: the suite's ordinary tests are what reach the sandbox's success paths.
- ``observer.fail_on_violations`` is called by the ``sandbox`` fixture as it tears down; the autouse
  fixture below catches tests that reach the sandbox without it (Django's test client).
- What was checked is written to ``.contract/seen.json`` when the run ends, merged across
  xdist workers, for ``make contract`` (left as it was by a run that never reached the
  sandbox).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.contract import observer
from tests.contract.observer import fail_on_violations

OBSERVER = "tests.contract.observer.observe"
SEEN_FILE = Path(__file__).resolve().parents[2] / ".contract" / "seen.json"
_from_workers: list[dict] = []


def pytest_configure(config):
    from django.conf import settings

    settings.SANDBOX_OBSERVER = OBSERVER


@pytest.fixture(autouse=True)
def _contract_backstop():
    yield
    fail_on_violations()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    seen = getattr(node, "workeroutput", {}).get("contract_seen")
    if seen:
        _from_workers.append(seen)


def pytest_sessionfinish(session):
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller writes the file
        config.workeroutput["contract_seen"] = observer.seen_snapshot()
        return
    write_seen([observer.seen_snapshot(), *_from_workers], tests=session.testscollected)


def write_seen(parts: list[dict], *, tests: int) -> None:
    merged: dict = {"responses": {}, "requests": {}, "other_apis": {}}
    for part in parts:
        for label, statuses in part["responses"].items():
            into = merged["responses"].setdefault(label, {})
            for status, count in statuses.items():
                into[status] = into.get(status, 0) + count
        for key in ("requests", "other_apis"):
            for label, count in part[key].items():
                merged[key][label] = merged[key].get(label, 0) + count
    if not merged["responses"] and not merged["requests"]:
        return  # a run that never reached the sandbox says nothing: keep the last record
    merged["written_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    merged["tests_collected"] = tests
    SEEN_FILE.parent.mkdir(exist_ok=True)
    SEEN_FILE.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
