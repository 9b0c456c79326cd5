"""Handlers of webhook events that concern an app other than the one receiving them.

Exchange receives every Maventa delivery (``exchange.webhooks``) but must not import receivables
(DESIGN.md, dependency direction), so an app that reacts to an event family registers its
handler here from its ``AppConfig.ready()``, and exchange looks it up by the event's name.

A handler is called outside any transaction (it may call Maventa) as
``handler(company=..., name=..., data=...)`` with the portal's company and the event's
``event_data``, and returns the outcome to record on the event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[..., str]
_handlers: dict[str, Handler] = {}


def register(prefix: str, handler: Handler) -> None:
    """``handler`` takes the events whose name starts with ``prefix`` (``SERVICES.RECEIVABLES.``).
    Registering the same prefix again replaces the handler (``ready()`` may run more than once)."""
    _handlers[prefix] = handler


def handler_for(name: str) -> Handler | None:
    """The handler of the longest registered prefix of ``name``, if any."""
    found = [prefix for prefix in _handlers if name.startswith(prefix)]
    return _handlers[max(found, key=len)] if found else None


def registered() -> dict[str, Any]:
    return dict(_handlers)
