"""Template context shared by every page: which Maventa environment this portal talks to.

The environment is shown on every admin and portal page so that nobody mistakes production
for the sandbox. Its label is decided here; its colour by the class env-badge--<environment>
in static/portal/portal.css, as the Content-Security-Policy allows no inline style.

``PORTAL_OUTAGES`` names what of the portal is down, for the banner on every staff page; it
is a callable, so that a page without the banner probes nothing (see ``core.outages``).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from maventa_portal.core.outages import outages_for

ENVIRONMENT_LABELS: dict[str, str] = {
    "sandbox": "Sandbox",
    "stage": "Stage",
    "production": "Production",
}


def portal(request: HttpRequest) -> dict[str, str | Callable[[], list[str]]]:
    environment = settings.MAVENTA_ENV
    return {
        "MAVENTA_ENV": environment,
        "MAVENTA_ENV_LABEL": ENVIRONMENT_LABELS.get(environment, environment.title()),
        "PORTAL_VERSION": settings.PORTAL_VERSION,
        "PORTAL_OUTAGES": outages_for(request),
    }
