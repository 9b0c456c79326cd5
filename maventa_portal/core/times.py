"""How the portal writes a moment for staff: local time (TIME_ZONE) in DATETIME_FORMAT.

Templates get the same through ``{{ value }}`` for datetimes; ``local_text`` is for what
templates cannot format themselves: timestamps that arrive as ISO 8601 text (Maventa's
payloads, a cached token's expiry) and strings built in Python (titles, admin columns).
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime


def local_text(value: dt.datetime | dt.date | str | None) -> str:
    """“25 Nov 2026 22:24” for a datetime or ISO 8601 text; text that is no date stays as it is."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        parsed = _parse(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        # Maventa writes UTC; a timestamp without an offset is taken as UTC, not as local.
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _parse(text: str) -> dt.datetime | dt.date | None:
    text = text.strip()
    try:
        # The date first: parse_datetime reads a bare date as its midnight.
        return parse_date(text) or parse_datetime(text)
    except ValueError:  # well formed but impossible, such as 2026-02-30
        return None
