"""What of the portal's own infrastructure is down, for the banner on every staff page.

Only the shared cache (Redis, also the task broker when ``REDIS_URL`` is set) is probed: the
database answering is what lets a page render at all, and Maventa's state is the home page's
stored check. A probe is one PING with a short timeout; its answer is remembered for
``REMEMBER_SECONDS`` in this process, and one thread probes at a time while the others use the
last answer, so a page pays at most ``PROBE_TIMEOUT`` now and then, never more.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.http import HttpRequest
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

REDIS_DOWN = (
    "The shared cache (Redis) does not answer: tokens are kept per process; background work "
    "may be delayed."
)
PROBE_TIMEOUT = 0.3
REMEMBER_SECONDS = 5.0

_probing = threading.Lock()
# url -> (monotonic time of the probe, whether Redis answered)
_answers: dict[str, tuple[float, bool]] = {}


def redis_urls() -> list[str]:
    """Every Redis the portal uses: the default cache's and the task broker's."""
    urls: list[str] = []
    cache = settings.CACHES.get("default", {})
    if cache.get("BACKEND", "").endswith("RedisCache"):
        location = cache.get("LOCATION", "")
        # Django takes a list, or servers separated by commas; the first is the one written to.
        first = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
        urls.append(first.strip())
    broker = settings.Q_CLUSTER.get("redis")
    if isinstance(broker, str) and broker:
        urls.append(broker)
    return list(dict.fromkeys(url for url in urls if url))


def _ping(url: str) -> bool:
    try:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=PROBE_TIMEOUT,
            socket_timeout=PROBE_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
    except ValueError:
        return False
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def redis_answers(url: str, now: Callable[[], float] = time.monotonic) -> bool:
    remembered = _answers.get(url)
    if remembered is not None and now() - remembered[0] < REMEMBER_SECONDS:
        return remembered[1]
    if not _probing.acquire(blocking=False):
        # Another request is probing: the last answer (or "answers") is good enough for now.
        return True if remembered is None else remembered[1]
    try:
        answered = _ping(url)
        if remembered is None or remembered[1] != answered:
            log.log(
                logging.INFO if answered else logging.WARNING,
                "Redis at %s %s.",
                urlsplit(url).hostname or "?",
                "answers" if answered else "does not answer",
            )
        _answers[url] = (now(), answered)
        return answered
    finally:
        _probing.release()


def current_outages() -> list[str]:
    """Staff-facing sentences, one per part of the portal that is down."""
    if any(not redis_answers(url) for url in redis_urls()):
        return [REDIS_DOWN]
    return []


def outages_for(request: HttpRequest) -> Callable[[], list[str]]:
    """For templates: probed only when a page shows the banner, and only for staff."""

    def outages() -> list[str]:
        user = getattr(request, "user", None)
        if user is None or not (user.is_authenticated and user.is_staff):
            return []
        return current_outages()

    return outages


def forget() -> None:
    """Drops the remembered answers; for tests."""
    _answers.clear()
