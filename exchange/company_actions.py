"""Actions this app adds to the admin's company list (gathered by companies.admin by name)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from maventa_portal.core.permissions import check

MANAGE = "exchange.manage_webhooksubscription"
SELECTION_SESSION_KEY = "exchange.webhook_subscribe_selection"


def subscribe_webhooks(modeladmin, request: HttpRequest, queryset) -> HttpResponseRedirect:
    check(request, MANAGE)
    request.session[SELECTION_SESSION_KEY] = list(queryset.values_list("pk", flat=True))
    return redirect("exchange:webhook_subscribe")


subscribe_webhooks.short_description = "Subscribe to Maventa's webhooks... (a bulk run)"
subscribe_webhooks.allowed_permission = MANAGE

ACTIONS = [subscribe_webhooks]
