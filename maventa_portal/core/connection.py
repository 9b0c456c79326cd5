"""The connection to Maventa as staff see it: the last check, stored, so pages never wait on it.

The home page reads the stored check and asks Maventa nothing; the schedule (every
``CHECK_EVERY_MINUTES``) and the "Check now" button write it. It lives in the database
(``core.ConnectionCheck``), one row per Maventa environment, so that it is still there when
Redis is not and a changed ``MAVENTA_ENV`` never shows another environment's state.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from maventa_portal import maventa
from maventa_portal.core.models import ConnectionCheck
from maventa_portal.maventa_api.errors import MaventaError

log = logging.getLogger(__name__)

CHECK_EVERY_MINUTES = 5
# Three missed schedules: the task workers are probably not running.
STALE_AFTER = timedelta(minutes=3 * CHECK_EVERY_MINUTES)


def last_check() -> ConnectionCheck | None:
    return ConnectionCheck.objects.filter(environment=settings.MAVENTA_ENV).first()


def is_stale(check: ConnectionCheck | None) -> bool:
    return check is not None and timezone.now() - check.checked_at > STALE_AFTER


def check_maventa_connection() -> ConnectionCheck:
    """Fetches an operator token, asks Maventa whether it works, and stores the outcome.

    Maventa is called before any transaction; a failure is stored with its staff message
    (the technical detail goes to the log) rather than raised.
    """
    started = time.monotonic()
    try:
        status = maventa.check_connection()
    except MaventaError as exc:
        log.warning("Maventa connection check failed: %s", exc)
        outcome = {
            "ok": False,
            "message": exc.staff_message,
            "client_id": "",
            "token_expires_at": "",
        }
    else:
        outcome = {
            "ok": True,
            "message": "",
            "client_id": status.client_id,
            "token_expires_at": status.expires_at or "",
        }
    check, _ = ConnectionCheck.objects.update_or_create(
        environment=settings.MAVENTA_ENV,
        defaults={
            **outcome,
            "checked_at": timezone.now(),
            "duration_ms": round((time.monotonic() - started) * 1000),
        },
    )
    return check
