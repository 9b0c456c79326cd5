"""Template context shared by every page: which Maventa environment this portal talks to.

The environment is shown on every admin and portal page so that nobody mistakes production
for the sandbox. The label and colour for each environment are decided here and nowhere else.
"""

from django.conf import settings
from django.http import HttpRequest

# Green for the local stand-in, orange for Maventa's test hosts, red for real invoices.
ENVIRONMENT_BADGES: dict[str, tuple[str, str]] = {
    "sandbox": ("Sandbox", "#2e7d32"),
    "stage": ("Stage", "#e65100"),
    "production": ("Production", "#c62828"),
}


def environment_badge(environment: str) -> tuple[str, str]:
    """The label and colour shown for a Maventa environment."""
    return ENVIRONMENT_BADGES.get(environment, (environment.title(), "#616161"))


def portal(request: HttpRequest) -> dict[str, str]:
    label, colour = environment_badge(settings.MAVENTA_ENV)
    return {
        "MAVENTA_ENV": settings.MAVENTA_ENV,
        "MAVENTA_ENV_LABEL": label,
        "MAVENTA_ENV_COLOUR": colour,
        "PORTAL_VERSION": settings.PORTAL_VERSION,
    }
