"""Template context shared by every page: which Maventa environment this portal talks to.

The environment is shown on every admin and portal page so that nobody mistakes production
for the sandbox. Its label is decided here; its colour by the class env-badge--<environment>
in static/portal/portal.css, as the Content-Security-Policy allows no inline style.
"""

from django.conf import settings
from django.http import HttpRequest

ENVIRONMENT_LABELS: dict[str, str] = {
    "sandbox": "Sandbox",
    "stage": "Stage",
    "production": "Production",
}


def portal(request: HttpRequest) -> dict[str, str]:
    environment = settings.MAVENTA_ENV
    return {
        "MAVENTA_ENV": environment,
        "MAVENTA_ENV_LABEL": ENVIRONMENT_LABELS.get(environment, environment.title()),
        "PORTAL_VERSION": settings.PORTAL_VERSION,
    }
