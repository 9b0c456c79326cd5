"""Receivables (debt collection with Visma Amili): the service of a company, its assignments
and their events, customers' service levels, and message threads with Amili.

Field names on the wire are decided in ``receivables_fields``; these models only hold state.
"""

import uuid

from django.db import models
from django.utils import timezone

from .companies import Company
from .invoices import Invoice


class ReceivablesService(models.Model):
    """``PUT /v1/services/receivables`` of one company; ``settings`` is the body as accepted."""

    class Status(models.TextChoices):
        DISABLED = "DISABLED"
        ACTIVE = "ACTIVE"
        PENDING = "PENDING"

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="receivables_service"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DISABLED)
    settings = models.JSONField(default=dict)
    activated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.company_id} {self.status}"


class Assignment(models.Model):
    """One collection case; ``invoice`` is the sent invoice it was opened for, if any."""

    class Status(models.TextChoices):
        OPEN = "open"
        PARTIALLY_CLOSED = "partially_closed"
        CLOSED = "closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="assignments")
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    invoice_number = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    debtor_name = models.CharField(max_length=300, blank=True)
    debtor_bid = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    open_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"assignment {self.id} ({self.status})"


class AssignmentEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32)
    sender = models.CharField(max_length=16)  # "amili" or "company"
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    comment = models.TextField(blank=True)
    seen = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.type} on {self.assignment_id}"


class ServiceLevel(models.Model):
    """A customer (by business id) with a level other than the unlisted "default"."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="service_levels")
    customer_bid = models.CharField(max_length=64)
    level = models.CharField(max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("company", "customer_bid"), name="one_level_each")
        ]

    def __str__(self) -> str:
        return f"{self.customer_bid}: {self.level}"


class MessageThread(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="message_threads")
    assignment = models.OneToOneField(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="thread"
    )
    subject = models.CharField(max_length=300, blank=True)
    flagged = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"thread {self.id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(MessageThread, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16)  # "amili" or "company"
    author = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    seen = models.BooleanField(default=False)
    seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A staff message Amili has still to answer: the answer is written once this passes.
    answer_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.sender} message {self.id}"
