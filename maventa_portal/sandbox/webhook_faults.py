"""How the sandbox's webhook deliveries behave: Maventa's timing, and faults switched on by tests.

Held in the serving process's memory like the fault switchboard (``PUT /_control/webhooks``,
cleared by ``POST /_control/reset``):

- ``hour_seconds``: the "hour" of Maventa's retry rule (API.md "Webhooks": retried every hour
  for 24 hours). None takes ``SANDBOX_WEBHOOK_HOUR_SECONDS`` (a setting or an environment
  variable; 3600 when neither is set), so that tests can compress it to a fraction of a second;
- ``timeout_seconds``: how long a destination has to answer (API.md: 5 seconds). None takes
  ``SANDBOX_WEBHOOK_TIMEOUT_SECONDS`` (default 5);
- ``drop_rate``: the share of deliveries never sent (kept as DROPPED, for tests to see);
- ``duplicate_rate``: the share sent twice (a second delivery of the same body);
- ``delay_seconds``: every delivery waits that long before its first try;
- ``reorder``: each batch of due deliveries goes out shuffled;
- ``seed``: seeds the one generator of these draws, so that a run can be repeated;
- ``senders`` (1): how many deliveries of a batch are posted at once, as Maventa's many
  workers would;
- ``advance_seconds`` (1): while anyone subscribes, the sandbox moves its lifecycle and
  exchange on that often by itself, so that events happen without anyone reading; 0 leaves
  that to reads and ticks (a test that counts what a tick moves wants it so).

Drops, duplicates and delays are drawn when an event is recorded; the order when a batch is sent.
"""

import os
import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.conf import settings

from .responses import BadRequest

HOUR_SETTING, HOUR_DEFAULT = "SANDBOX_WEBHOOK_HOUR_SECONDS", 3600.0
TIMEOUT_SETTING, TIMEOUT_DEFAULT = "SANDBOX_WEBHOOK_TIMEOUT_SECONDS", 5.0

rng = random.Random()  # noqa: S311 - fault injection, not cryptography


@dataclass
class WebhookConfig:
    hour_seconds: float | None = None
    timeout_seconds: float | None = None
    drop_rate: float = 0.0
    duplicate_rate: float = 0.0
    delay_seconds: float = 0.0
    reorder: bool = False
    seed: int | None = None
    senders: int = 1
    advance_seconds: float = 1.0


@dataclass(frozen=True)
class Fate:
    """What becomes of one event on its way to one subscription."""

    dropped: bool = False
    copies: int = 1
    delay_seconds: float = 0.0


def _setting(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return float(value)


class WebhookSwitch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config = WebhookConfig()

    def reset(self) -> None:
        with self._lock:
            self._config = WebhookConfig()

    def configure(self, data: Any) -> dict[str, Any]:
        """Replaces the whole configuration: keys left out fall back to their defaults."""
        config = parse_config(data)
        with self._lock:
            self._config = config
            if config.seed is not None:
                rng.seed(config.seed)
        return self.snapshot()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            shown = asdict(self._config)
        shown["hour_seconds"] = self.hour_seconds
        shown["timeout_seconds"] = self.timeout_seconds
        return shown

    @property
    def hour_seconds(self) -> float:
        value = self._config.hour_seconds
        return value if value is not None else _setting(HOUR_SETTING, HOUR_DEFAULT)

    @property
    def timeout_seconds(self) -> float:
        value = self._config.timeout_seconds
        return value if value is not None else _setting(TIMEOUT_SETTING, TIMEOUT_DEFAULT)

    @property
    def reorder(self) -> bool:
        return self._config.reorder

    @property
    def senders(self) -> int:
        return self._config.senders

    @property
    def advance_seconds(self) -> float:
        return self._config.advance_seconds

    def draw(self) -> Fate:
        with self._lock:
            config = self._config
            if config.drop_rate and rng.random() < config.drop_rate:
                return Fate(dropped=True)
            duplicated = bool(config.duplicate_rate) and rng.random() < config.duplicate_rate
            return Fate(copies=2 if duplicated else 1, delay_seconds=config.delay_seconds)

    def shuffle(self, batch: list) -> None:
        with self._lock:
            rng.shuffle(batch)


webhook_switch = WebhookSwitch()


def parse_config(data: Any) -> WebhookConfig:
    if not isinstance(data, dict):
        raise BadRequest("The webhook configuration must be a JSON object")
    known = {f.name for f in fields(WebhookConfig)}
    problems = [f"unknown field {key}" for key in data if key not in known]
    config = WebhookConfig()
    for name, low, high in (
        ("hour_seconds", 0.01, None),
        ("timeout_seconds", 0.01, 60),
        ("delay_seconds", 0, None),
        ("drop_rate", 0, 1),
        ("duplicate_rate", 0, 1),
        ("advance_seconds", 0, None),
    ):
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{name} must be a number")
        elif value < low or (high is not None and value > high):
            upper = f" and at most {high}" if high is not None else ""
            problems.append(f"{name} must be at least {low}{upper}")
        else:
            setattr(config, name, float(value))
    reorder = data.get("reorder")
    if reorder is not None and not isinstance(reorder, bool):
        problems.append("reorder must be true or false")
    config.reorder = bool(reorder)
    senders = data.get("senders")
    if senders is not None:
        if isinstance(senders, bool) or not isinstance(senders, int) or not 1 <= senders <= 16:
            problems.append("senders must be a whole number from 1 to 16")
        else:
            config.senders = senders
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        problems.append("seed must be a whole number")
    config.seed = seed
    if problems:
        raise BadRequest("Invalid webhook configuration", problems)
    return config
