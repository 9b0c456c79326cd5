"""Housekeeping tasks of the portal itself."""

from django.core.management import call_command

from maventa_portal.core import connection


def check_maventa_connection() -> bool:
    """Refreshes the stored connection check that the home page shows; True when it passed."""
    return connection.check_maventa_connection().ok


def clear_expired_sessions() -> None:
    """Deletes expired rows of the session table, which Django never prunes on its own."""
    call_command("clearsessions")
