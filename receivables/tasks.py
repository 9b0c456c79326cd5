"""Tasks of the receivables app, named as the services they run."""

from __future__ import annotations

from .services import polling


def poll_messages() -> dict[str, int]:
    return polling.poll_messages()


def poll_assignments() -> dict[str, int]:
    return polling.poll_assignments()
