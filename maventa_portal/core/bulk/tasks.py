"""Task functions of the bulk engine: ids in, the engine's work, something small out."""

from __future__ import annotations

from .engine import drain
from .sweeper import sweep


def drain_run(run_id: int | str) -> dict[str, int]:
    return drain(int(run_id))


def sweep_runs() -> dict[str, int]:
    return sweep()
