"""Webhook subscriptions (API.md "Webhooks"; FIELDS.md section 4): create, list, read, delete.

No update: a change is a delete and a create. A `VENDOR_WEBHOOK` registered with the partner
company's token covers every company linked to the token's vendor key, or, given `vendor_key`
(API.md; the 2023 schema lacks the field), that key's companies only. The destination carries
the receiver's secret (`?secret=` or basic auth in the URL): never log or show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ..client import Api
from ..entities import from_json, list_from_json
from ..errors import refused_here

SCOPE = "company:read company:write"

DESTINATION_TYPES = ("WEBHOOK", "VENDOR_WEBHOOK")


@dataclass(frozen=True)
class Notification:
    id: str = ""
    destination_type: str = ""
    destination: str = ""
    events: tuple[str, ...] = ()


def create_notification(
    api: Api,
    *,
    destination_type: str,
    destination: str,
    events: Iterable[str],
    vendor_key: str = "",
) -> Notification:
    """`POST /v1/company/notifications` -> 201 Notification: Maventa posts the events named
    (wildcards `*` allowed) to the destination."""
    names = [name for name in events if name]
    if destination_type not in DESTINATION_TYPES:
        message = f"destination_type must be {' or '.join(DESTINATION_TYPES)}."
        raise refused_here(message, message)
    if not names:
        message = "A subscription needs at least one event name."
        raise refused_here(message, message)
    body: dict = {"destination_type": destination_type, "destination": destination, "events": names}
    if vendor_key:
        body["vendor_key"] = vendor_key
    answer = api.post(
        "/v1/company/notifications", json=body, resource="the webhook subscription"
    ).body()
    return from_json(Notification, answer)


def list_notifications(api: Api) -> list[Notification]:
    """`GET /v1/company/notifications` -> 200 Notification[]."""
    answer = api.get("/v1/company/notifications", resource="the webhook subscriptions").body()
    return list_from_json(Notification, answer)


def get_notification(api: Api, *, notification_id: str) -> Notification:
    """`GET /v1/company/notifications/{id}` -> 200 Notification."""
    path = _notification_path(notification_id)
    answer = api.get(path, resource="the webhook subscription").body()
    return from_json(Notification, answer)


def delete_notification(api: Api, *, notification_id: str) -> None:
    """`DELETE /v1/company/notifications/{id}` -> 204."""
    api.delete(_notification_path(notification_id), resource="the webhook subscription")


def _notification_path(notification_id: str) -> str:
    return f"/v1/company/notifications/{quote(notification_id, safe='')}"
