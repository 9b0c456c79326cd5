"""Schedules of the companies app, created by `manage.py setup_schedules`."""

from django_q.models import Schedule

SCHEDULES = [
    {
        # Webhooks are not guaranteed (API.md): poll what is still moving.
        "name": "companies: refresh pending profiles and unverified companies",
        "func": "companies.tasks.refresh_moving_states",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
]
