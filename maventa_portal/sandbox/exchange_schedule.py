"""How fast, and how reliably, the imitated exchange of invoices and documents moves.

In memory like the faults and the lifecycle (``PUT /_control/exchange``, cleared by ``POST
/_control/reset``). A change of the configuration affects what is sent afterwards: outcomes
are drawn and stored when an invoice or a document is created (``delivery.py``).

- ``invoice_delivery_seconds`` (0): a sent invoice is PENDING that long. With 0 the send's own
  answer is PENDING and the next read or tick delivers it: tests see each step without waiting,
  and one that wants to watch a send pending sets a delay;
- ``invoice_failure_rate`` (0): the share of sends that fail instead (an ERROR action);
- ``late_failure_rate`` (0) and ``late_failure_seconds`` (10): the share of delivered invoices
  that fail afterwards (a print returned, an operator's rejection: API.md, FAILED "may follow
  DELIVERED"), and how long after delivery;
- ``document_delivery_seconds`` (0) and ``document_failure_rate`` (0): the same for documents;
- ``analysis_seconds`` (0): how long a Detect check stays PENDING after the POST's answer,
  which is always PENDING;
- ``incoming_per_hour``: received invoices that appear by themselves for each verified company
  receiving invoices (the demo's trickle); the setting ``SANDBOX_INCOMING_PER_HOUR``, else 0;
- ``seed``: seeds the draws above and the generator, for repeatable runs.
"""

import random
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.conf import settings

from .responses import BadRequest

# One generator for every draw of the exchange; a seed makes a run repeatable.
rng = random.Random()  # noqa: S311 - imitation of outcomes, not cryptography

RATES = ("invoice_failure_rate", "late_failure_rate", "document_failure_rate")


def _incoming_default() -> float:
    return float(getattr(settings, "SANDBOX_INCOMING_PER_HOUR", 0) or 0)


@dataclass
class ExchangeConfig:
    invoice_delivery_seconds: float = 0.0
    invoice_failure_rate: float = 0.0
    late_failure_rate: float = 0.0
    late_failure_seconds: float = 10.0
    document_delivery_seconds: float = 0.0
    document_failure_rate: float = 0.0
    analysis_seconds: float = 0.0
    incoming_per_hour: float = field(default_factory=_incoming_default)
    seed: int | None = None


class ExchangeSchedule:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config = ExchangeConfig()

    def reset(self) -> None:
        with self._lock:
            self._config = ExchangeConfig()

    def configure(self, data: Any) -> dict[str, Any]:
        """Replaces the whole configuration: keys left out fall back to their defaults."""
        config = parse_config(data)
        with self._lock:
            self._config = config
            if config.seed is not None:
                rng.seed(config.seed)
        return asdict(config)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._config)

    @property
    def config(self) -> ExchangeConfig:
        with self._lock:
            return self._config


exchange_schedule = ExchangeSchedule()


def parse_config(data: Any) -> ExchangeConfig:
    if not isinstance(data, dict):
        raise BadRequest("The exchange configuration must be a JSON object")
    config = ExchangeConfig()
    names = {f.name for f in fields(ExchangeConfig)}
    problems = [f"unknown field {key}" for key in data if key not in names]
    for name in names - {"seed"}:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"{name} must be a number, at least 0")
        elif name in RATES and value > 1:
            problems.append(f"{name} must be at most 1")
        else:
            setattr(config, name, float(value))
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        problems.append("seed must be a whole number or null")
    config.seed = seed
    if problems:
        raise BadRequest("Invalid exchange configuration", problems)
    return config


def draw(rate: float) -> bool:
    """True with probability ``rate`` (never for 0, always for 1)."""
    return rate > 0 and rng.random() < rate
