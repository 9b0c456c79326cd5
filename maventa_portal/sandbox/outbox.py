"""The outbox: each recorded event becomes one delivery per subscription it reaches.

Deliveries are rows written in the transaction that records the event, so that a change and
its announcement are kept or lost together, and the sender (``webhook_sender``) is woken only
once they are committed. The body is fixed here, as Maventa sends it (API.md "Webhooks" and
the vendor's samples): ``event``, ``company_id``, ``event_timestamp`` in Finnish local time
with its offset, ``event_data``.
"""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from . import subscriptions
from .models import Delivery, Event, Subscription
from .webhook_faults import webhook_switch

# Maventa is a Finnish service; the samples carry +02:00 and +03:00 offsets.
MAVENTA_TIME = ZoneInfo("Europe/Helsinki")


def as_payload(event: Event) -> dict[str, Any]:
    return {
        "event": event.name,
        "company_id": str(event.company_id),
        "event_timestamp": event.created_at.astimezone(MAVENTA_TIME).isoformat(timespec="seconds"),
        "event_data": event.data,
    }


def enqueue(event: Event) -> list[Delivery]:
    """The deliveries of ``event``, faults drawn; the sender is woken once they are committed."""
    reached = subscriptions.subscribers_of(event)
    if not reached:
        return []
    payload = as_payload(event)
    now = timezone.now()
    made = []
    for subscription in reached:
        fate = webhook_switch.draw()
        due = now + timedelta(seconds=fate.delay_seconds)
        for copy in range(fate.copies):
            made.append(
                Delivery(
                    event=event,
                    subscription=subscription,
                    destination=subscription.destination,
                    payload=payload,
                    state=Delivery.State.DROPPED if fate.dropped else Delivery.State.PENDING,
                    copy=copy,
                    first_due_at=due,
                    next_attempt_at=None if fate.dropped else due,
                    created_at=now,
                )
            )
    Delivery.objects.bulk_create(made)
    from .webhook_sender import dispatcher  # the sender imports this module

    transaction.on_commit(dispatcher.wake)
    return made


def cancel_pending(subscription: Subscription) -> int:
    return subscription.deliveries.filter(state=Delivery.State.PENDING).update(
        state=Delivery.State.CANCELED, next_attempt_at=None
    )


def clear() -> None:
    """The control API's reset: the outbox emptied (subscriptions are kept, as accounts are)."""
    Delivery.objects.all().delete()
