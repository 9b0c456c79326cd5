"""The fault switchboard: what goes wrong, on purpose, between the client and the sandbox.

Held in the serving process's memory (tests and benchmarks switch it through ``/_control/faults``
of the same process) and guarded by one lock, because live servers answer on many threads.

Two kinds of fault, consulted for every request to an API root (never for ``/_control/``):

- a *script*: an ordered list of rules; a request takes the first rule that matches it and still
  has ``times`` left, and uses one up. This is how a test says "503 twice, then succeed".
- *random* faults, drawn from ``rng`` (seeded by the control call) with the configured rates.

A rule matches on ``path`` (exact, or a prefix when it ends in ``*``), ``method`` and ``api``
(any when left out). Its effects, in order: wait ``hang_seconds`` (the request did arrive, so
afterwards it is handled and a POST is processed), then either ``drop`` (no response, not
handled) or ``status`` (an error body; 429 adds ``Retry-After``, 401 ``WWW-Authenticate``).

``paths`` (prefixes relative to the API root), when given, limits both the random faults and the
added latency to the requests below them; the script is not limited by it. Latency and hangs are
both a wait before the request is handled, so a ``Fault`` carries their sum.

To add a fault: a field on ``FaultConfig`` or ``Rule``, its draw in ``Switchboard.decide``, and
its effect in ``gateway.apply_fault``.
"""

import random
import threading
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .responses import BadRequest

API_NAMES = ("ax", "validator", "receivables", "payslip")

# One generator for every random fault, so that a seed makes a run repeatable.
rng = random.Random()  # noqa: S311 - fault injection, not cryptography


@dataclass
class Rule:
    path: str
    method: str | None = None
    api: str | None = None
    status: int | None = None
    retry_after: int | None = None
    hang_seconds: float = 0.0
    drop: bool = False
    times: int = 1

    def matches(self, api: str, method: str, path: str) -> bool:
        if self.times <= 0:
            return False
        if self.api is not None and self.api != api:
            return False
        if self.method is not None and self.method != method:
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


@dataclass
class FaultConfig:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_statuses: list[int] = field(default_factory=lambda: [503])
    rate_limit_rate: float = 0.0
    retry_after: int = 1
    hang_rate: float = 0.0
    hang_seconds: float = 0.0
    drop_rate: float = 0.0
    paths: list[str] | None = None
    token_ttl: int = 3600
    seed: int | None = None
    script: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class Fault:
    """What to do to one request: wait, then drop it, answer ``status``, or handle it anyway."""

    hang_seconds: float = 0.0
    drop: bool = False
    status: int | None = None
    retry_after: int | None = None


class Switchboard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config = FaultConfig()

    def reset(self) -> None:
        with self._lock:
            self._config = FaultConfig()

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
    def token_ttl(self) -> int:
        return self._config.token_ttl

    def decide(self, api: str, method: str, path: str) -> Fault | None:
        with self._lock:
            config = self._config
            in_scope = config.paths is None or any(path.startswith(p) for p in config.paths)
            latency = config.latency_ms / 1000 if in_scope else 0.0
            for rule in config.script:
                if rule.matches(api, method, path):
                    rule.times -= 1
                    return Fault(
                        latency + rule.hang_seconds, rule.drop, rule.status, rule.retry_after
                    )
            fault = self._draw() if in_scope else None
            if latency:
                fault = fault or Fault()
                return replace(fault, hang_seconds=latency + fault.hang_seconds)
            return fault

    def _draw(self) -> Fault | None:
        config = self._config
        if config.drop_rate and rng.random() < config.drop_rate:
            return Fault(drop=True)
        hang = config.hang_seconds if config.hang_rate and rng.random() < config.hang_rate else 0
        if config.rate_limit_rate and rng.random() < config.rate_limit_rate:
            return Fault(hang, status=429, retry_after=config.retry_after)
        if config.error_rate and rng.random() < config.error_rate:
            return Fault(hang, status=rng.choice(config.error_statuses))
        return Fault(hang) if hang else None


switchboard = Switchboard()


def parse_config(data: Any) -> FaultConfig:
    if not isinstance(data, dict):
        raise BadRequest("The fault configuration must be a JSON object")
    problems = _unknown_keys(data, FaultConfig)
    config = FaultConfig()
    for name in ("latency_ms", "retry_after", "token_ttl"):
        _take(data, name, config, problems, int, minimum=0)
    for name in ("error_rate", "rate_limit_rate", "hang_rate", "drop_rate"):
        _take(data, name, config, problems, float, minimum=0, maximum=1)
    _take(data, "hang_seconds", config, problems, float, minimum=0)
    _take(data, "seed", config, problems, int)
    if data.get("error_statuses") is not None:
        statuses = data["error_statuses"]
        if (
            not _is_list_of(statuses, int)
            or not statuses
            or not all(400 <= s <= 599 for s in statuses)
        ):
            problems.append("error_statuses must be a non-empty list of HTTP error statuses")
        else:
            config.error_statuses = list(statuses)
    if data.get("paths") is not None:
        if not _is_list_of(data["paths"], str):
            problems.append("paths must be a list of path prefixes or null")
        else:
            config.paths = list(data["paths"])
    script = data.get("script") or []
    if not isinstance(script, list):
        problems.append("script must be a list of rules")
    else:
        config.script = [r for i, raw in enumerate(script) if (r := _rule(i, raw, problems))]
    if problems:
        raise BadRequest("Invalid fault configuration", problems)
    return config


def _rule(index: int, raw: Any, problems: list[str]) -> Rule | None:
    where = f"script[{index}]"
    if not isinstance(raw, dict):
        problems.append(f"{where} must be an object")
        return None
    before = len(problems)
    problems += [f"{where}: {p}" for p in _unknown_keys(raw, Rule)]
    rule = Rule(path=raw.get("path") if isinstance(raw.get("path"), str) else "")
    if not rule.path.startswith("/"):
        problems.append(f"{where}: path must start with / (relative to the API root)")
    if raw.get("method") is not None:
        rule.method = str(raw["method"]).upper()
    if raw.get("api") is not None:
        if raw["api"] not in API_NAMES:
            problems.append(f"{where}: api must be one of {', '.join(API_NAMES)}")
        rule.api = raw["api"]
    sub: list[str] = []
    _take(raw, "status", rule, sub, int, minimum=400, maximum=599)
    _take(raw, "retry_after", rule, sub, int, minimum=0)
    _take(raw, "hang_seconds", rule, sub, float, minimum=0)
    _take(raw, "times", rule, sub, int, minimum=1)
    if raw.get("drop") is not None:
        if not isinstance(raw["drop"], bool):
            sub.append("drop must be true or false")
        rule.drop = bool(raw["drop"])
    problems += [f"{where}: {p}" for p in sub]
    if rule.status is None and not rule.drop and not rule.hang_seconds:
        problems.append(f"{where}: give status, hang_seconds or drop")
    return rule if len(problems) == before else None


def _unknown_keys(data: dict[str, Any], shape: type) -> list[str]:
    known = {f.name for f in fields(shape)}
    return [f"unknown field {key}" for key in data if key not in known]


def _is_list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, kind) and not isinstance(v, bool) for v in value
    )


def _take(
    data: dict[str, Any],
    name: str,
    target: Any,
    problems: list[str],
    kind: type,
    minimum: float | None = None,
    maximum: float | None = None,
) -> None:
    value = data.get(name)
    if value is None:
        return
    numeric = (int, float) if kind is float else (int,)
    if isinstance(value, bool) or not isinstance(value, numeric):
        problems.append(f"{name} must be a {'number' if kind is float else 'whole number'}")
        return
    if minimum is not None and value < minimum:
        problems.append(f"{name} must be at least {minimum}")
        return
    if maximum is not None and value > maximum:
        problems.append(f"{name} must be at most {maximum}")
        return
    setattr(target, name, kind(value))
