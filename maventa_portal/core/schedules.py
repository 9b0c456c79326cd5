"""Schedules of the core app, created by ``manage.py setup_schedules``."""

from django_q.models import Schedule

from maventa_portal.core.connection import CHECK_EVERY_MINUTES

SCHEDULES = [
    {
        # Items of lost workers back to the queue, runs nobody drains drained again.
        "name": "core: sweep bulk runs",
        "func": "maventa_portal.core.bulk.tasks.sweep",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        # What the home page shows, so that loading it never waits on Maventa.
        "name": "core: check the Maventa connection",
        "func": "maventa_portal.core.tasks.check_maventa_connection",
        "schedule_type": Schedule.MINUTES,
        "minutes": CHECK_EVERY_MINUTES,
    },
    {
        "name": "core: clear expired sessions",
        "func": "maventa_portal.core.tasks.clear_expired_sessions",
        "schedule_type": Schedule.DAILY,
    },
]
