"""Response headers that depend on who is asking.

``NoStoreForAuthenticatedMiddleware`` marks every response to a logged-in user
``Cache-Control: no-store, private``: staff pages show company data and API key status, and
neither a shared proxy nor the browser's disk cache may keep them after logout. Machine
endpoints (``/healthz``, webhooks, the sandbox) and static and media files are skipped before
``request.user`` is touched, so that they never need the session table. The
Content-Security-Policy and Permissions-Policy headers come from django-csp and
django-permissions-policy (settings: HEADERS).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from maventa_portal.core.middleware import PUBLIC_PATHS, PUBLIC_PREFIXES


def _unauthenticated_prefixes() -> tuple[str, ...]:
    files = [url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url]
    return (*PUBLIC_PREFIXES, *files)


class NoStoreForAuthenticatedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.skipped_prefixes = _unauthenticated_prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if path in PUBLIC_PATHS or path.startswith(self.skipped_prefixes):
            return response
        # Read after the view: a login or logout during this request has already changed it.
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
