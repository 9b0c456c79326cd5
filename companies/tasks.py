"""django-q2 task functions: ids in, one service call, something small out."""

from __future__ import annotations

from .services import refresh_moving_states as refresh_moving_states_service


def refresh_moving_states() -> dict[str, int]:
    return refresh_moving_states_service()
