"""Schedules of the exchange app, created by ``manage.py setup_schedules``.

Webhooks are not guaranteed (API.md): polls catch what they miss.
"""

from django_q.models import Schedule

SCHEDULES = [
    {
        # One bulk run over every company that can receive (none while the last is open).
        "name": "exchange: fetch received invoices",
        "func": "exchange.tasks.sync_received",
        "schedule_type": Schedule.MINUTES,
        "minutes": 10,
    },
    {
        # PENDING sends, and DELIVERED ones for a week (Maventa may still fail them).
        "name": "exchange: refresh sent invoices",
        "func": "exchange.tasks.refresh_sent",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        # Invoice sends whose answer was lost (or whose worker died mid-send), looked up by
        # their own uuid; sent again only when Maventa has no copy (services/sending.py).
        "name": "exchange: look up invoice sends whose answer was lost",
        "func": "exchange.tasks.reconcile_unknown",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        # Document sends whose answer was lost, looked up by transmission id (never resent
        # blindly: services/documents.py).
        "name": "exchange: look up document sends whose answer was lost",
        "func": "exchange.tasks.reconcile_unknown_documents",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        # Webhook events whose task was lost (a worker killed, the broker down), whose fetch
        # lease ran out, or that failed and are due again (a bounded number of times).
        "name": "exchange: process webhook events left behind",
        "func": "exchange.tasks.sweep_webhook_events",
        "schedule_type": Schedule.MINUTES,
        "minutes": 2,
    },
    {
        # Received invoices of every company of the vendor key, and failed deliveries, in a
        # call each with the partner company's token (MAVENTA_PARTNER_COMPANY_ID).
        "name": "exchange: read the partner feeds",
        "func": "exchange.tasks.poll_partner_feeds",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        # Direct Print packages not final yet (and sends whose answer was lost), each asked
        # when due: printing.poll_status bounds a run and backs off per batch. Packages
        # queued too long (their task lost) are queued again.
        "name": "print: poll Direct Print statuses",
        "func": "exchange.tasks.poll_print_statuses",
        "schedule_type": Schedule.MINUTES,
        "minutes": 3,
    },
    {
        # The fallback for everything webhooks tell (API.md: nothing is guaranteed); what it
        # finds that no webhook had told is kept on a ReconcileRun for staff.
        "name": "exchange: reconcile what webhooks missed",
        "func": "exchange.tasks.reconcile",
        "schedule_type": Schedule.HOURLY,
    },
]
