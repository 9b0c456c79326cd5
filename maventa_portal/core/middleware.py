"""Who may see what, and how a failed Maventa call reaches the staff user.

``StaffOnlyMiddleware`` closes the whole site to everyone but active staff users, except
``PUBLIC_PATHS`` and ``PUBLIC_PREFIXES`` (what machines call), static and media files, the
portal's login and logout, and ``/admin/``, which runs its own login. A new public endpoint
is added to those tuples, nowhere else.

``MaventaErrorMiddleware`` turns a ``MaventaError`` that escapes a view into a 503 page with
the error's staff message, so that an outage at Maventa never shows up as a server error.

``RejectNulMiddleware`` answers 400 to a query string holding a NUL byte: PostgreSQL refuses
NUL in text, so a search box or admin filter would otherwise end in a server error. Form
fields refuse NUL themselves, with a message on the field.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from maventa_portal.core.shortcuts import render_staff_page
from maventa_portal.maventa_api.errors import MaventaError

logger = logging.getLogger(__name__)

# Machines: health probes, Maventa's webhooks, the local stand-in for Maventa; the icon
# browsers fetch on the login page too.
PUBLIC_PATHS = ("/healthz", "/favicon.ico")
PUBLIC_PREFIXES = ("/webhooks/maventa/", "/sandbox/")
# The admin answers anonymous users with its own login page.
SELF_GUARDED_PREFIXES = ("/admin/",)


def _public_prefixes() -> tuple[str, ...]:
    files = [url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url]
    return (*PUBLIC_PREFIXES, *SELF_GUARDED_PREFIXES, *files)


class StaffOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.public_prefixes = _public_prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        # Checked before request.user is touched: /healthz must not need the session table.
        # Logging out must work for anyone who is logged in, staff or not.
        if path.startswith(self.public_prefixes) or path in (
            *PUBLIC_PATHS,
            reverse("portal:login"),
            reverse("portal:logout"),
        ):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("Staff only.")
        return self.get_response(request)


class MaventaErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MaventaError):
            return None
        # str() of a MaventaError is its redacted technical detail: no tokens, no keys.
        logger.warning(
            "Maventa call failed during %s %s: %s", request.method, request.path, exception
        )
        return render_staff_page(
            request,
            "errors/maventa.html",
            {"staff_message": exception.staff_message},
            title="Maventa could not complete the request",
            status=503,
        )


NUL_IN_ADDRESS = (
    "The address contains a NUL byte (%00), which no search or filter can use. "
    "Remove it and try again."
)


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return render(request, "400.html", {"message": NUL_IN_ADDRESS}, status=400)
        return self.get_response(request)
