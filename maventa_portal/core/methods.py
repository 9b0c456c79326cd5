"""Views that take a form's POST answer a GET of their address with the page the form is on.

After a form error the address bar holds the POST-only URL; reloading it, or a bookmark,
would otherwise show the browser's bare 405 page. ``post_only`` replaces ``require_POST``:
POST reaches the view (which checks its own permission), GET and HEAD redirect to the page
named by ``redirect_to`` once the user passes that page's permission check, so that the
redirect tells nobody more than the page itself would. Other methods still get 405.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import resolve, reverse

from .permissions import check

log = logging.getLogger("django.request")

ALLOWED = ["GET", "HEAD", "POST"]


def post_only(redirect_to: str, *, with_kwargs: bool = True) -> Callable:
    """``@post_only("companies:detail")``: a GET of /companies/7/refresh/ leads to /companies/7/.

    The view's URL arguments are passed on to ``redirect_to``; ``with_kwargs=False`` for a
    page that takes none (a list).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                log.warning("Method Not Allowed (%s): %s", request.method, request.path)
                return HttpResponseNotAllowed(ALLOWED)
            url = reverse(redirect_to, kwargs=kwargs if with_kwargs else None)
            # The target page's own guard, as permission_required recorded it on the view.
            check(request, *getattr(resolve(url).func, "required_permissions", ()))
            return HttpResponseRedirect(url)

        return wrapped

    return decorator
