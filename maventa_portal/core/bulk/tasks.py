"""Task functions of the bulk engine, named as the services they run: ids in, small out."""

from __future__ import annotations

from . import engine, sweeper


def drain(run_id: int | str) -> dict[str, int]:
    return engine.drain(int(run_id))


def sweep() -> dict[str, int]:
    return sweeper.sweep()
