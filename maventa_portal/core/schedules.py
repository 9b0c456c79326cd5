"""Schedules of the core app, created by ``manage.py setup_schedules``."""

from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "core: clear expired sessions",
        "func": "maventa_portal.core.tasks.clear_expired_sessions",
        "schedule_type": Schedule.DAILY,
    },
]
