"""No staff page and no admin page before the second factor.

An active staff user whose session has not shown a code is sent to the verify page when they
have a confirmed device (whatever ``REQUIRE_2FA`` says: a user who chose 2FA keeps it), or
to the setup page when they have none and ``REQUIRE_2FA`` is on. Left alone: what
``StaffOnlyMiddleware`` leaves public (machines, static and media files), the login and
logout pages of the portal and the admin, and the setup and verify pages themselves. Users
without staff rights are not asked: the portal and the admin refuse them anyway.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ..middleware import PUBLIC_PATHS, PUBLIC_PREFIXES
from .services import has_two_factor

EXEMPT_URL_NAMES = (
    "portal:login",
    "portal:logout",
    "admin:login",
    "admin:logout",
    "portal:two_factor:setup",
    "portal:two_factor:verify",
)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        files = [url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url]
        self.exempt_prefixes = (*PUBLIC_PREFIXES, *files)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        # Checked before request.user is touched: machines must not need the session table.
        if path.startswith(self.exempt_prefixes) or path in PUBLIC_PATHS:
            return self.get_response(request)
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff) or user.is_verified():
            return self.get_response(request)
        if path in {reverse(name) for name in EXEMPT_URL_NAMES}:
            return self.get_response(request)
        if has_two_factor(user):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('portal:two_factor:verify')}?{query}")
        if settings.REQUIRE_2FA:
            return HttpResponseRedirect(reverse("portal:two_factor:setup"))
        return self.get_response(request)
