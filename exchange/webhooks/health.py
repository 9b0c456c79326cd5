"""How the webhooks are doing, for staff: one aggregate query and the last reconcile run.

Read on the event log's page: when the last event arrived, how many arrived lately, how many
wait or failed, and what the last ``reconcile`` found that no webhook had told (a high count
there means deliveries are being lost: check the subscription and the secret).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import ReconcileRun, WebhookEvent

State = WebhookEvent.State


@dataclass(frozen=True)
class WebhookHealth:
    last_received_at: datetime | None
    last_hour: int
    last_day: int
    unprocessed: int
    failed: int
    unmatched: int
    last_run: ReconcileRun | None

    def __str__(self) -> str:
        last = (
            f"last event {timezone.localtime(self.last_received_at):%d %b %H:%M}"
            if self.last_received_at
            else "no event yet"
        )
        parts = [
            last,
            f"{self.last_hour} in the last hour ({self.last_day / 24:.1f}/h over 24 h)",
            f"{self.unprocessed} unprocessed",
            f"{self.failed} failed",
            f"{self.unmatched} unmatched",
        ]
        if self.last_run is not None:
            parts.append(
                f"last reconcile {timezone.localtime(self.last_run.started_at):%d %b %H:%M}: "
                f"{len(self.last_run.findings)} missed by webhooks"
            )
        return " · ".join(parts)


def webhook_health() -> WebhookHealth:
    now = timezone.now()
    counts = WebhookEvent.objects.aggregate(
        last=Max("received_at"),
        hour=Count("pk", filter=Q(received_at__gte=now - timedelta(hours=1))),
        day=Count("pk", filter=Q(received_at__gte=now - timedelta(days=1))),
        unprocessed=Count("pk", filter=Q(state__in=[State.RECEIVED, State.PROCESSING])),
        failed=Count("pk", filter=Q(state=State.FAILED)),
        unmatched=Count("pk", filter=Q(state=State.UNMATCHED)),
    )
    return WebhookHealth(
        last_received_at=counts["last"],
        last_hour=counts["hour"],
        last_day=counts["day"],
        unprocessed=counts["unprocessed"],
        failed=counts["failed"],
        unmatched=counts["unmatched"],
        last_run=ReconcileRun.objects.first(),
    )
