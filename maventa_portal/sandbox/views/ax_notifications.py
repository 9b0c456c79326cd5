"""AX webhook subscriptions: ``/v1/company/notifications`` (API.md "Webhooks"; FIELDS.md 4).

- ``POST /v1/company/notifications`` ``{destination_type, destination, events, vendor_key?}``
  -> 201 Notification; 400 ``invalid_parameters`` naming each problem.
- ``GET /v1/company/notifications`` -> 200 Notification[], the token's company's, oldest first.
- ``GET /v1/company/notifications/{id}`` -> 200 Notification.
- ``DELETE /v1/company/notifications/{id}`` -> 204; deliveries still pending are canceled.

No update: a change is a delete and a create. Another company's subscription answers 404, as
an unknown one does (FIELDS.md section 0).
"""

import uuid

from django.http import HttpRequest, HttpResponse

from .. import outbox, subscriptions
from ..auth import bearer
from ..models import Subscription
from ..responses import BadRequest, bad_request, error, json_body, json_response, no_content


def _find(request: HttpRequest, subscription_id: str) -> Subscription | None:
    try:
        pk = uuid.UUID(subscription_id)
    except ValueError:
        return None
    return request.sandbox_company.subscriptions.filter(pk=pk).first()


def _not_found(subscription_id: str) -> HttpResponse:
    return error(404, "not_found", f"Notification {subscription_id} not found")


@bearer
def create_notification(request: HttpRequest) -> HttpResponse:
    try:
        wanted = subscriptions.parse_request(json_body(request))
        vendor = subscriptions.vendor_for(wanted, request.sandbox_token)
    except BadRequest as exc:
        return bad_request(exc)
    created = subscriptions.create_subscription(
        company=request.sandbox_company, wanted=wanted, vendor=vendor
    )
    return json_response(subscriptions.as_notification(created), status=201)


@bearer
def list_notifications(request: HttpRequest) -> HttpResponse:
    found = request.sandbox_company.subscriptions.order_by("created_at", "id")
    return json_response([subscriptions.as_notification(s) for s in found])


@bearer
def get_notification(request: HttpRequest, subscription_id: str) -> HttpResponse:
    found = _find(request, subscription_id)
    if found is None:
        return _not_found(subscription_id)
    return json_response(subscriptions.as_notification(found))


@bearer
def delete_notification(request: HttpRequest, subscription_id: str) -> HttpResponse:
    found = _find(request, subscription_id)
    if found is None:
        return _not_found(subscription_id)
    outbox.cancel_pending(found)
    found.delete()
    return no_content()
