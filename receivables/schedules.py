"""Schedules of the receivables app, created by ``manage.py setup_schedules``."""

from django_q.models import Schedule

SCHEDULES = [
    {
        # New messages from Visma Amili reach the inbox this way (no webhook announces them).
        "name": "receivables: fetch messages from Amili",
        "func": "receivables.tasks.poll_messages",
        "schedule_type": Schedule.MINUTES,
        "minutes": 3,
    },
    {
        "name": "receivables: mirror assignments, their events and service levels",
        "func": "receivables.tasks.poll_assignments",
        "schedule_type": Schedule.MINUTES,
        "minutes": 15,
    },
]
