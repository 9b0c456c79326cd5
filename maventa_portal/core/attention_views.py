"""The needs-attention page: one queue of what staff must act on, grouped by kind."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from maventa_portal.core import attention
from maventa_portal.core.shortcuts import render_staff_page


@require_safe
def attention_queue(request: HttpRequest) -> HttpResponse:
    # Each kind is filtered by its model's view permission; a staff user with none sees an
    # empty queue rather than a refusal.
    if not (request.user.is_authenticated and request.user.is_staff):
        raise PermissionDenied
    groups = attention.queue(request.user)
    return render_staff_page(
        request,
        "portal/attention.html",
        {"groups": groups, "total": sum(group.count for group in groups)},
        title="Needs attention",
    )
