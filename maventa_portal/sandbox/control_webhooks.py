"""Control API for webhook deliveries, mounted by ``control.py`` under ``/sandbox/_control/``:

- ``GET webhooks`` / ``PUT webhooks`` -> 200 ``{hour_seconds, timeout_seconds, drop_rate,
  duplicate_rate, delay_seconds, reorder, seed, senders, advance_seconds}`` (PUT replaces it
  whole; see ``webhook_faults``). ``hour_seconds`` and ``timeout_seconds`` show the values in force.
- ``GET webhooks/deliveries?company_id=&event=&state=&subscription_id=`` -> 200 the deliveries,
  oldest first, each ``{id, subscription_id, destination, event, company_id, state, copy,
  attempts, first_due_at, next_attempt_at, delivered_at, payload, tries: [{started_at,
  status, error, seconds}]}``.
- ``POST webhooks/flush`` ``{all?}`` -> 200 ``{attempted, delivered, failed}``: the due
  deliveries tried now, in this request; with ``all: true`` every pending one is due first
  (delays and retry hours skipped).

``POST reset`` puts the configuration back and empties the outbox; subscriptions stay.
"""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import outbox, webhook_sender
from .models import Delivery
from .responses import BadRequest, bad_request, by_method, isoformat, json_body, json_response
from .webhook_faults import webhook_switch
from .webhook_sender import dispatcher


def reset() -> None:
    webhook_switch.reset()
    outbox.clear()


def get_config(request: HttpRequest) -> HttpResponse:
    return json_response(webhook_switch.snapshot())


def put_config(request: HttpRequest) -> HttpResponse:
    try:
        config = webhook_switch.configure(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    dispatcher.wake()  # a shorter hour may bring the next try closer
    return json_response(config)


def _moment(value) -> str | None:
    return isoformat(value) if value else None


def as_delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "subscription_id": str(delivery.subscription_id) if delivery.subscription_id else None,
        "destination": delivery.destination,
        "event": delivery.payload.get("event"),
        "company_id": delivery.payload.get("company_id"),
        "state": delivery.state,
        "copy": delivery.copy,
        "attempts": delivery.attempts,
        "first_due_at": _moment(delivery.first_due_at),
        "next_attempt_at": _moment(delivery.next_attempt_at),
        "delivered_at": _moment(delivery.delivered_at),
        "payload": delivery.payload,
        "tries": [
            {
                "started_at": _moment(t.started_at),
                "status": t.status,
                "error": t.error,
                "seconds": t.seconds,
            }
            for t in delivery.tries.all()
        ],
    }


def _filtered(request: HttpRequest):
    found = Delivery.objects.select_related("event").prefetch_related("tries")
    problems = []
    for name, field in (("company_id", "event__company_id"), ("subscription_id", "subscription")):
        raw = request.GET.get(name)
        if raw:
            try:
                found = found.filter(**{field: uuid.UUID(raw)})
            except ValueError:
                problems.append(f"{name} {raw} is not a UUID")
    if request.GET.get("event"):
        found = found.filter(event__name=request.GET["event"])
    state = request.GET.get("state")
    if state:
        if state not in Delivery.State.values:
            problems.append(f"state must be one of {', '.join(Delivery.State.values)}")
        found = found.filter(state=state)
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return found.order_by("created_at", "id")


def list_deliveries(request: HttpRequest) -> HttpResponse:
    try:
        found = _filtered(request)
    except BadRequest as exc:
        return bad_request(exc)
    return json_response([as_delivery(d) for d in found])


def flush(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        everything = data.get("all", False)
        if not isinstance(everything, bool) or set(data) - {"all"}:
            raise BadRequest("Invalid parameters", ["the body may hold all: true or false only"])
    except BadRequest as exc:
        return bad_request(exc)
    return json_response(webhook_sender.send_due(everything=everything))


urlpatterns = [
    path("webhooks", csrf_exempt(by_method(GET=get_config, PUT=put_config))),
    path("webhooks/deliveries", csrf_exempt(by_method(GET=list_deliveries))),
    path("webhooks/flush", csrf_exempt(by_method(POST=flush))),
]
