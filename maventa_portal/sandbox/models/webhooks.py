"""Webhook subscriptions (FIELDS.md section 4) and the outbox of their deliveries.

A ``Delivery`` is one event on its way to one subscription's destination, its body fixed when
the event happened; each try at it is a ``DeliveryAttempt``. The outbox lives in the database,
so that deliveries due when the server stops are sent once it serves again.
"""

import uuid

from django.db import models
from django.utils import timezone

from .companies import Company, Event, Vendor


class Subscription(models.Model):
    """``APIEntitiesNotificationsNotification``: registered by one company's token."""

    class DestinationType(models.TextChoices):
        WEBHOOK = "WEBHOOK"
        VENDOR_WEBHOOK = "VENDOR_WEBHOOK"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="subscriptions")
    destination_type = models.CharField(max_length=14, choices=DestinationType.choices)
    destination = models.CharField(max_length=2000)
    events = models.JSONField(default=list)
    # A VENDOR_WEBHOOK reaches the companies linked to this key (API.md "Webhooks").
    vendor = models.ForeignKey(
        Vendor, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.destination_type} {','.join(self.events)}"


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "PENDING"
        DELIVERED = "DELIVERED"
        GAVE_UP = "GAVE_UP"  # no 200, 201 or 204 within the retry window
        DROPPED = "DROPPED"  # a fault: never sent
        CANCELED = "CANCELED"  # the subscription was deleted before delivery

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    destination = models.CharField(max_length=2000)
    payload = models.JSONField()
    state = models.CharField(max_length=9, choices=State.choices, default=State.PENDING)
    # A second copy of one event to one subscription (the duplicate fault) counts from 1.
    copy = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    first_due_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set while a try is on its way; a lease left by a sender that died runs out by itself.
    lease_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.payload.get('event')} to {self.destination} ({self.state})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    # The answer's status, or null when none came (refused, timed out).
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.status or self.error}"
