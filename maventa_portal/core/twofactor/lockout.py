"""The page a locked-out login gets (``AXES_LOCKOUT_CALLABLE``), for the portal and the admin."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ..shortcuts import render_staff_page


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render_staff_page(
        request,
        "portal/lockout.html",
        {"cooloff_minutes": minutes},
        title="Login locked",
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
