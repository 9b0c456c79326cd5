"""``POST /webhooks/maventa/``: Maventa's deliveries, stored and answered at once.

Maventa counts a delivery as handled on 200, 201 or 204 within 5 seconds and retries anything
else hourly for 24 hours (API.md "Webhooks"). So the view only authenticates, stores and
answers 204: the work is a task. A failure to store answers 500, so that Maventa delivers the
event again. Not a staff page: no login, no CSRF token (StaffOnlyMiddleware leaves
``/webhooks/maventa/`` public); the secret is the only way in.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from maventa_portal.core.net import client_ip

from ..models import WebhookEvent
from . import auth, ingest

security_log = logging.getLogger("maventa_portal.security")

NOT_JSON = "The body must be a JSON object with an `event` name."


def _too_big(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


@csrf_exempt
def maventa_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "HEAD":
        return HttpResponse(status=HTTPStatus.OK)  # senders probing the URL
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST", "HEAD"])
    if not auth.is_authentic(request):
        # Neither the secret given nor the query string: the warning names the caller only.
        security_log.warning(
            "Refused a webhook delivery from %s: no valid secret", client_ip(request)
        )
        response = HttpResponse(status=HTTPStatus.UNAUTHORIZED)
        response["WWW-Authenticate"] = 'Basic realm="Maventa webhooks"'
        return response
    limit = settings.MAVENTA_WEBHOOK_MAX_BODY
    if _too_big(request, limit):
        return HttpResponse(status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    stored = ingest.store_event(
        body=body, headers=request.headers, remote_addr=client_ip(request) or None
    )
    if stored.state == WebhookEvent.State.INVALID:
        return HttpResponse(NOT_JSON, status=HTTPStatus.BAD_REQUEST, content_type="text/plain")
    return HttpResponse(status=HTTPStatus.NO_CONTENT)
