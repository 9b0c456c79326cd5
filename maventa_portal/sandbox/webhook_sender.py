"""The webhook sender: posts due deliveries, and retries them as Maventa does.

Rule (API.md "Webhooks"): a JSON POST; 200, 201 or 204 is handled; any other answer, or none
within ``timeout_seconds`` (5), is tried again an "hour" later (``webhook_faults``), 24 times,
after which the delivery is given up. The destination's auth is what its URL carries: basic
auth userinfo (``https://user:secret@host/...``) goes as an ``Authorization`` header, a
``?secret=`` stays in the query.

A try is claimed before it is made (a conditional UPDATE that counts it, sets the next try an
hour on and leases the row for the answer's deadline), so that the daemon thread and a control
flush never send one twice, and a try cut short by a restart is repeated an hour later, as one
unanswered would be.

The daemon thread (``dispatcher``) is started lazily by the first sandbox request a process
serves, so that it runs under ``runserver`` and the test suite's live server alike, and never
in management commands. It sends what is due, sleeps until the next delivery falls due or an
event is committed, and, while anyone subscribes, moves the imitated Maventa on by itself
every ``advance_seconds`` (lifecycle and exchange ticks) so that events happen without anyone
reading.
"""

import base64
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from django.db import connection
from django.db.models import Min, Q
from django.utils import timezone

from .models import Delivery, DeliveryAttempt, Subscription
from .webhook_faults import webhook_switch

logger = logging.getLogger(__name__)

HANDLED = frozenset({200, 201, 204})
RETRIES = 24
BATCH = 200
USER_AGENT = "Maventa-Sandbox-Webhooks/1.0"
# After an error (the database away between two tests, say) the thread looks again a
# second later; after a few in a row it rests until the next sandbox request, rather than
# knock at a database that may be being dropped.
ERROR_PAUSE_SECONDS = 1.0
ERRORS_BEFORE_RESTING = 3
LEASE_MARGIN_SECONDS = 2.0

_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.trust_env = False  # the destination is what the URL says, no proxy
        _local.session = session
    return session


def split_auth(destination: str) -> tuple[str, str | None]:
    """The URL without its userinfo, and the ``Authorization`` header that userinfo makes."""
    parts = urlsplit(destination)
    if parts.username is None:
        return destination, None
    host = parts.netloc.rpartition("@")[2]
    url = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return url, "Basic " + base64.b64encode(pair.encode()).decode()


def post(destination: str, payload: dict, timeout: float) -> tuple[int | None, str]:
    url, authorization = split_auth(destination)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if authorization:
        headers["Authorization"] = authorization
    try:
        answer = _session().post(
            url, json=payload, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    answer.close()
    return answer.status_code, ""


def _unleased(now: datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def _claim(delivery: Delivery, started: datetime) -> bool:
    hour = timedelta(seconds=webhook_switch.hour_seconds)
    lease = timedelta(seconds=webhook_switch.timeout_seconds + LEASE_MARGIN_SECONDS)
    mine = Delivery.objects.filter(
        _unleased(started), pk=delivery.pk, state=Delivery.State.PENDING, attempts=delivery.attempts
    )
    return bool(
        mine.update(
            attempts=delivery.attempts + 1,
            next_attempt_at=started + hour,
            lease_until=started + lease,
        )
    )


def attempt(delivery: Delivery) -> bool | None:
    """One try; True handled, False not (yet), None when another sender had claimed it."""
    started = timezone.now()
    if not _claim(delivery, started):
        return None
    clock = time.monotonic()
    status, problem = post(delivery.destination, delivery.payload, webhook_switch.timeout_seconds)
    if status is not None and status not in HANDLED:
        problem = f"answered {status}"
    DeliveryAttempt.objects.create(
        delivery_id=delivery.pk,
        started_at=started,
        status=status,
        error=problem,
        seconds=round(time.monotonic() - clock, 3),
    )
    mine = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING)
    if status in HANDLED:
        mine.update(
            state=Delivery.State.DELIVERED,
            delivered_at=timezone.now(),
            next_attempt_at=None,
            lease_until=None,
        )
        return True
    if delivery.attempts + 1 > RETRIES:
        mine.update(state=Delivery.State.GAVE_UP, next_attempt_at=None, lease_until=None)
    else:
        mine.update(lease_until=None)
    return False


# One pass at a time in a process: a flush and the thread taking turns keep a batch (and its
# shuffle) whole.
_passing = threading.Lock()


def send_due(*, everything: bool = False) -> dict[str, int]:
    """Tries each due delivery once; ``everything`` makes every pending one due first."""
    with _passing:
        return _send_due(everything)


def _send_due(everything: bool) -> dict[str, int]:
    now = timezone.now()
    pending = Delivery.objects.filter(state=Delivery.State.PENDING)
    if everything:
        pending.filter(_unleased(now), next_attempt_at__gt=now).update(next_attempt_at=now)
    counts = {"attempted": 0, "delivered": 0, "failed": 0}
    # Batch after batch of what was due when the pass began: a try that fails is due again
    # only an hour on, so the pass ends.
    while True:
        due = pending.filter(next_attempt_at__lte=now).order_by("next_attempt_at", "id")
        batch = list(due[:BATCH])
        for name, count in _send_batch(batch).items():
            counts[name] += count
        if len(batch) < BATCH:
            return counts


def _send_batch(batch: list[Delivery]) -> dict[str, int]:
    if webhook_switch.reorder:
        webhook_switch.shuffle(batch)
    senders = min(webhook_switch.senders, len(batch))
    if senders > 1:
        with ThreadPoolExecutor(senders, thread_name_prefix="sandbox-webhook") as pool:
            outcomes = list(pool.map(_attempt_and_close, batch))
    else:
        outcomes = [attempt(delivery) for delivery in batch]
    counts = {"attempted": 0, "delivered": 0, "failed": 0}
    for outcome in outcomes:
        if outcome is None:
            continue
        counts["attempted"] += 1
        counts["delivered" if outcome else "failed"] += 1
    return counts


def _attempt_and_close(delivery: Delivery) -> bool | None:
    try:
        return attempt(delivery)
    finally:
        connection.close()  # a pool thread's own connection, not to outlive the batch


def next_due() -> datetime | None:
    pending = Delivery.objects.filter(state=Delivery.State.PENDING)
    return pending.aggregate(due=Min("next_attempt_at"))["due"]


def _move_time_on() -> None:
    # Imported here: the lifecycle and the exchange record events, which import the outbox.
    from . import delivery, lifecycle

    lifecycle.tick()
    delivery.tick()


class Dispatcher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0

    def ensure_started(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            if self._failures >= ERRORS_BEFORE_RESTING:
                self._wake.set()  # resting after errors: a request says the sandbox is back
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="sandbox-webhooks", daemon=True
                )
                self._thread.start()

    def wake(self) -> None:
        self.ensure_started()
        self._wake.set()

    def _run(self) -> None:
        while True:
            wait = self._pass()
            self._wake.wait(timeout=wait)
            self._wake.clear()

    def _pass(self) -> float | None:
        """One round of work; how long to sleep before the next (None: until woken)."""
        try:
            every = webhook_switch.advance_seconds
            ticking = bool(every) and Subscription.objects.exists()
            if ticking:
                _move_time_on()
            send_due()
            due = next_due()
        except Exception:  # noqa: BLE001 - the thread must outlive a database gone away
            logger.debug("sandbox webhook sender: pass failed", exc_info=True)
            self._failures += 1
            return ERROR_PAUSE_SECONDS if self._failures < ERRORS_BEFORE_RESTING else None
        finally:
            # No connection outlives a pass: the test database must be droppable.
            connection.close()
        self._failures = 0
        wait = None if due is None else max(0.0, (due - timezone.now()).total_seconds())
        if ticking:
            wait = every if wait is None else min(wait, every)
        return wait


dispatcher = Dispatcher()
