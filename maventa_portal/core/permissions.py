"""Who may act: Django permissions, checked before a view does anything.

``permission_required`` guards function views; ``check`` guards anything else (admin views).
A refusal is a 403 whose page names the missing permission and the role that has it; it
changes nothing and calls nothing, and is logged (not audited: nothing was done).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import OPERATORS

log = logging.getLogger("maventa_portal.security")

MISSING = (
    "You may not do this: it needs the permission {names}. "
    "Ask an administrator to add you to “{role}”."
)


def describe(perm: str) -> str:
    """“Can register network profiles” (companies.register_profiles)."""
    app_label, _, codename = perm.partition(".")
    name = (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .values_list("name", flat=True)
        .first()
    )
    return f"“{name}” ({perm})" if name else perm


class MissingPermission(PermissionDenied):
    def __init__(self, perms: list[str]) -> None:
        self.perms = perms
        super().__init__(MISSING.format(names=" and ".join(map(describe, perms)), role=OPERATORS))


def check(request: HttpRequest, *perms: str) -> None:
    missing = [perm for perm in perms if not request.user.has_perm(perm)]
    if missing:
        log.warning(
            "Refused %s %s to %s: missing %s",
            request.method,
            request.path,
            request.user.get_username() or "anonymous",
            ", ".join(missing),
        )
        raise MissingPermission(missing)


def permission_required(*perms: str) -> Callable:
    """Refuses the request with 403 unless the user has every permission named."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            check(request, *perms)
            return view(request, *args, **kwargs)

        wrapped.required_permissions = perms
        return wrapped

    return decorator
