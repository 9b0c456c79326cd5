"""django-q2 task functions: ids in, one service call, something small out."""

from __future__ import annotations

from .services import refresh_moving_states
from .services.bulk import run_item


def register_profiles_for_item(item_id: int | str) -> str:
    return run_item(item_id=int(item_id))


def refresh_states() -> dict[str, int]:
    return refresh_moving_states()
