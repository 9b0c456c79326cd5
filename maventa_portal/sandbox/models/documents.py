"""Business documents other than invoices (orders, despatch advice, vouchers ...; FIELDS.md
section 6): ``APIEntitiesDocument``, its files and its events.

No conversion, no lookup (API.md "Documents"): a document is delivered as it came, to the
recipient it names. A document sent to another sandbox company is received there as a copy
pointing at the original, so that the recipient's confirmation reaches the sender.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .companies import Company


class Document(models.Model):
    class Direction(models.TextChoices):
        SENT = "SENT"
        RECEIVED = "RECEIVED"

    class Status(models.TextChoices):
        PROCESSING = "PROCESSING"
        RESERVED = "RESERVED"
        DELIVERED = "DELIVERED"
        CONFIRMED_DELIVERY = "CONFIRMED_DELIVERY"
        FAILED = "FAILED"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="documents")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    type = models.CharField(max_length=40, default="UNKNOWN")
    status = models.CharField(max_length=18, choices=Status.choices, default=Status.PROCESSING)
    number = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    document_identifier = models.CharField(max_length=300, blank=True)
    process_identifier = models.CharField(max_length=300, blank=True)
    source_format = models.CharField(max_length=20, blank=True)
    transmission_id = models.CharField(max_length=200, blank=True)
    transmission_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    network = models.CharField(max_length=20, blank=True)
    origin = models.CharField(max_length=20, blank=True)
    sender_name = models.CharField(max_length=300, blank=True)
    sender_bid = models.CharField(max_length=64, blank=True)
    sender_eia = models.CharField(max_length=128, blank=True)
    sender_country = models.CharField(max_length=2, blank=True)
    sender_vat = models.CharField(max_length=64, blank=True)
    recipient_name = models.CharField(max_length=300, blank=True)
    recipient_bid = models.CharField(max_length=64, blank=True)
    recipient_eia = models.CharField(max_length=128, blank=True)
    recipient_country = models.CharField(max_length=2, blank=True)
    recipient_vat = models.CharField(max_length=64, blank=True)
    recipient_operator = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Delivery of a sent document, decided when it is created (delivery.py).
    deliver_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fails_with = models.CharField(max_length=500, blank=True)
    source_document = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # FIELDS.md section 6: transmission_id "must be unique" (422 when it is not).
            models.UniqueConstraint(
                fields=["company", "transmission_id"],
                condition=~Q(transmission_id=""),
                name="sandbox_document_transmission_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.type} {self.number} ({self.status})"


class DocumentFile(models.Model):
    class Type(models.TextChoices):
        PRIMARY_FILE = "PRIMARY_FILE"
        ATTACHMENT = "ATTACHMENT"
        OTHER = "OTHER"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    type = models.CharField(max_length=12, choices=Type.choices, default=Type.PRIMARY_FILE)
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)
    file_format = models.CharField(max_length=20, blank=True)
    format_version = models.CharField(max_length=10, blank=True)
    content = models.BinaryField()
    # The order the files came in (files[0], files[1] ...).
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "position", "id"]

    def __str__(self) -> str:
        return self.filename


class DocumentEvent(models.Model):
    """``APIEntitiesDocumentEvent``: what happened to a document, newest last."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=40)
    message = models.CharField(max_length=500, blank=True)
    details = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.code
