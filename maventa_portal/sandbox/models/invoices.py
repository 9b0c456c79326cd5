"""Invoices the imitated Maventa holds (FIELDS.md section 5), and what hangs off them.

A sent invoice belongs to its sender, a received one to its recipient; an invoice sent from one
sandbox company to another exists twice, the received copy pointing at the sent one. Amounts
are decimals here and numbers on the wire. The delivery of a sent invoice is decided when it is
created (``deliver_at``, ``fails_with``, ``late_failure_at``; ``delivery.py``), so that a read
and a tick reach the same outcome.
"""

import uuid

from django.db import models
from django.utils import timezone

from .companies import Company


class Invoice(models.Model):
    class Direction(models.TextChoices):
        SENT = "SENT"
        RECEIVED = "RECEIVED"

    class Status(models.TextChoices):
        PENDING = "PENDING"
        DELIVERED = "DELIVERED"
        FAILED = "FAILED"

    class Origin(models.TextChoices):
        INTERNAL = "INTERNAL"
        EXTERNAL = "EXTERNAL"
        SCAN = "SCAN"

    class EventState(models.TextChoices):
        """``PATCH /v1/invoices/{id}/invoice_events`` (FIELDS.md section 5)."""

        CREATED = "CREATED"
        HANDLED = "HANDLED"

    # The sender's own uuid when POST /v1/invoices gave one (FIELDS.md: "own invoice UUID;
    # generated if absent"): the invoice model has no other id, so the two are one.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invoices")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING)
    kind = models.CharField(max_length=11, default="INVOICE")  # INVOICE or CREDIT_NOTE
    number = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    date_due = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    sum = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    sum_tax = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    source_format = models.CharField(max_length=20)
    sender_name = models.CharField(max_length=300, blank=True)
    sender_bid = models.CharField(max_length=64, blank=True)
    sender_eia = models.CharField(max_length=128, blank=True)
    sender_country = models.CharField(max_length=2, blank=True)
    # Not on the wire (InvoiceSender has no vat), kept for Detect's VAT and bank checks.
    sender_vat = models.CharField(max_length=64, blank=True)
    sender_bank_account = models.CharField(max_length=64, blank=True)
    recipient_name = models.CharField(max_length=300, blank=True)
    recipient_bid = models.CharField(max_length=64, blank=True)
    recipient_eia = models.CharField(max_length=128, blank=True)
    recipient_country = models.CharField(max_length=2, blank=True)
    recipient_operator = models.CharField(max_length=64, blank=True)
    recipient_email = models.CharField(max_length=254, blank=True)
    disabled_routes = models.JSONField(default=list, blank=True)
    sender_comment = models.TextField(blank=True)
    lang = models.CharField(max_length=2, blank=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, blank=True)
    # Sent: the route it went by (VISMA, PEPPOL, OPERATOR, EMAIL, PRINT); received: the network
    # it came by, which the RECEIVED webhook names as its origin (API.md "Webhooks").
    destination = models.CharField(max_length=20, blank=True)
    network = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    revision = models.JSONField(null=True, blank=True)
    virtual_barcode = models.CharField(max_length=60, blank=True)
    event_state = models.CharField(
        max_length=7, choices=EventState.choices, default=EventState.CREATED
    )
    received_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Delivery of a sent invoice: when it is decided, and how (empty fails_with: delivered).
    deliver_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fails_with = models.CharField(max_length=500, blank=True)
    # A failure after delivery (a print returned, an operator's rejection; API.md "Invoices").
    late_failure_at = models.DateTimeField(null=True, blank=True, db_index=True)
    late_failure_message = models.CharField(max_length=500, blank=True)
    source_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["company", "direction", "received_at"])]

    def __str__(self) -> str:
        return f"{self.direction} invoice {self.number} ({self.status})"


class InvoiceFile(models.Model):
    class Role(models.TextChoices):
        XML = "XML"
        IMAGE = "IMAGE"  # the PDF that came with the invoice (ORIGINAL_IMAGE)
        ATTACHMENT = "ATTACHMENT"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10, choices=Role.choices)
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()
    # The order the files came in (the XML, its image, then the attachments as given).
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "position", "id"]

    def __str__(self) -> str:
        return self.filename


class InvoiceAction(models.Model):
    """One line of an invoice's history (``InvoiceAction``, FIELDS.md section 5)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="actions")
    type = models.CharField(max_length=9)
    channel = models.CharField(max_length=8, blank=True)
    message = models.CharField(max_length=500, blank=True)
    happened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.channel}".strip()


class FraudReport(models.Model):
    """A company's report of an invoice's sender (FIELDS.md section 5, "Fraud / spam reports").

    The reported party is the sender company, kept as it was on the invoice reported.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="fraud_reports")
    reporter_user_id = models.CharField(max_length=64, blank=True)
    contact_email = models.CharField(max_length=254)
    reasons = models.JSONField(default=list)
    description = models.TextField(blank=True)
    sender_bid = models.CharField(max_length=64, blank=True)
    sender_name = models.CharField(max_length=300, blank=True)
    sender_country = models.CharField(max_length=2, blank=True)
    sender_bank_account = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"report of {self.sender_name or self.sender_bid}"


class Analysis(models.Model):
    """One Detect check run on one invoice (FIELDS.md section 8). The result is decided when the
    run is triggered and shown once ``ready_at`` has passed; until then it is PENDING."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="analyses")
    check_name = models.CharField(max_length=30)
    status = models.CharField(max_length=14)  # RUN_SUCCESSFUL, NOT_APPLICABLE, RUN_FAILED
    result = models.CharField(max_length=14)  # OK, WARNING, FAILED, NOT_APPLICABLE
    reason_code = models.CharField(max_length=80)
    text = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    triggered_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["triggered_at", "id"]
        verbose_name_plural = "analyses"

    def __str__(self) -> str:
        return f"{self.check_name} {self.reason_code}"
