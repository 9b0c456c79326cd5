"""Housekeeping tasks of the portal itself."""

from django.core.management import call_command


def clear_expired_sessions() -> None:
    """Deletes expired rows of the session table, which Django never prunes on its own."""
    call_command("clearsessions")
