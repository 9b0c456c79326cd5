"""Invoices and documents sent and received through Maventa, their history and their files.

Maventa is the truth for delivery (statuses, actions); the portal keeps what staff sent, who
sent it and when, and the files as they were. Status and type values are Maventa's (FIELDS.md
sections 5 and 6), plus the portal's own ``UNKNOWN`` for a send whose answer was lost. Files
go through Django's storage API and are checksummed (SHA-256) when stored.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Direction(models.TextChoices):
    SENT = "SENT", "Sent"
    RECEIVED = "RECEIVED", "Received"


class Source(models.TextChoices):
    """Who told the portal: Maventa's API answer, a webhook, or a poll."""

    API = "API", "API"
    WEBHOOK = "WEBHOOK", "Webhook"
    POLL = "POLL", "Poll"


def _invoice_path(instance: models.Model, filename: str) -> str:
    return f"exchange/{instance.company_id}/{uuid.uuid4().hex}/{filename}"


class Party(models.Model):
    """The fields Maventa gives for a sender or a recipient (prefixed on the models below)."""

    sender_name = models.CharField(max_length=300, blank=True)
    sender_bid = models.CharField(max_length=64, blank=True)
    sender_eia = models.CharField(max_length=128, blank=True)
    sender_country = models.CharField(max_length=2, blank=True)
    recipient_name = models.CharField(max_length=300, blank=True)
    recipient_bid = models.CharField(max_length=64, blank=True)
    recipient_eia = models.CharField(max_length=128, blank=True)
    recipient_operator = models.CharField(max_length=64, blank=True)
    recipient_country = models.CharField(max_length=2, blank=True)

    class Meta:
        abstract = True


class Invoice(Party):
    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        DELIVERED = "DELIVERED", "Delivered"
        FAILED = "FAILED", "Failed"
        # The portal's own: a send whose answer was lost, looked up before anything is resent;
        # and an invoice staff uploaded and previewed but have not sent.
        UNKNOWN = "UNKNOWN", "Unknown (answer lost)"
        DRAFT = "DRAFT", "Draft (not sent)"

    class Origin(models.TextChoices):
        INTERNAL = "INTERNAL", "Internal"
        EXTERNAL = "EXTERNAL", "External"
        SCAN = "SCAN", "Scan"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="invoices"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    maventa_id = models.UUIDField("Maventa invoice id", unique=True, null=True, blank=True)
    # Sent with POST /v1/invoices as `uuid`: how a lost answer is found again.
    send_uuid = models.UUIDField(unique=True, null=True, blank=True)
    number = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    sum = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    sum_tax = models.DecimalField(
        "sum with tax", max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, blank=True)
    date = models.DateField(null=True, blank=True)
    date_due = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    maventa_created_at = models.DateTimeField(null=True, blank=True)
    source_format = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, blank=True)
    destination = models.CharField(max_length=64, blank=True)
    comment = models.TextField(blank=True)
    error = models.TextField(blank=True)
    xml = models.FileField(upload_to=_invoice_path, blank=True)
    xml_checksum = models.CharField("XML checksum (SHA-256)", max_length=64, blank=True)
    image = models.FileField("PDF image", upload_to=_invoice_path, blank=True)
    # What staff chose for the send (recipient overrides, routes, language), kept with the draft.
    send_options = models.JSONField(default=dict, blank=True)
    # What the portal read from the XML (exchange.formats), to show it without parsing again.
    summary = models.JSONField(default=dict, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("send_invoice", "Can send invoices and documents"),
            ("sync_received", "Can fetch received invoices now"),
            ("reroute_invoice", "Can reroute failed invoices"),
            ("report_fraud", "Can report invoices as fraud"),
            ("run_detect", "Can run Detect on received invoices"),
        ]
        indexes = [
            models.Index(
                fields=["company", "direction", "-created_at"], name="invoice_company_dir"
            ),
            models.Index(fields=["direction", "status"], name="invoice_dir_status"),
            models.Index(fields=["company", "xml_checksum"], name="invoice_checksum"),
            # The fleet's last sent/received per company, the dashboard's per-day counts, the
            # attention queue's FAILED/UNKNOWN, and the admin's "^number" search.
            models.Index(fields=["company", "direction", "sent_at"], name="invoice_company_sent"),
            models.Index(
                fields=["company", "direction", "received_at"], name="invoice_company_received"
            ),
            models.Index(fields=["sent_at", "status"], name="invoice_sent_day"),
            models.Index(fields=["received_at", "status"], name="invoice_received_day"),
            models.Index(fields=["status", "updated_at"], name="invoice_status_updated"),
            models.Index(fields=["created_at"], name="invoice_created"),
            models.Index(fields=["number"], name="invoice_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} invoice {self.number or self.maventa_id or '–'}"

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}


class InvoiceAction(models.Model):
    """One line of Maventa's history of an invoice (FIELDS.md section 5, InvoiceAction)."""

    class Type(models.TextChoices):
        RECEIVED = "RECEIVED", "Received"
        CREATED = "CREATED", "Created"
        SENT = "SENT", "Sent"
        DELIVERED = "DELIVERED", "Delivered"
        INFO = "INFO", "Info"
        ERROR = "ERROR", "Error"

    class Channel(models.TextChoices):
        EINVOICE = "EINVOICE", "E-invoice"
        PRINT = "PRINT", "Print"
        SCAN = "SCAN", "Scan"
        EMAIL = "EMAIL", "Email"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="actions")
    type = models.CharField(max_length=10, choices=Type.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    message = models.TextField(blank=True)
    happened_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_at", "pk"]
        constraints = [
            # The same action told by the API, a webhook and a poll is kept once.
            models.UniqueConstraint(
                fields=["invoice", "type", "channel", "happened_at"], name="invoice_action_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.happened_at:%Y-%m-%d %H:%M}"


class Document(Party):
    class Type(models.TextChoices):
        UNKNOWN = "UNKNOWN", "Unknown"
        INVOICE = "INVOICE", "Invoice"
        CREDIT_NOTE = "CREDIT_NOTE", "Credit note"
        ORDER = "ORDER", "Order"
        ORDER_RESPONSE = "ORDER_RESPONSE", "Order response"
        CATALOGUE = "CATALOGUE", "Catalogue"
        CATALOGUE_RESPONSE = "CATALOGUE_RESPONSE", "Catalogue response"
        SELF_BILLING_INVOICE = "SELF_BILLING_INVOICE", "Self-billing invoice"
        DESPATCH_ADVICE = "DESPATCH_ADVICE", "Despatch advice"
        RECEIPT = "RECEIPT", "Receipt"
        VOUCHER = "VOUCHER", "Voucher"
        BANK_FILE = "BANK_FILE", "Bank file"
        REMINDER = "REMINDER", "Reminder"
        SCAN = "SCAN", "Scan"
        INVOICE_RESPONSE = "INVOICE_RESPONSE", "Invoice response"
        MESSAGE_LEVEL_RESPONSE = "MESSAGE_LEVEL_RESPONSE", "Message level response"
        EXPRESSION_OF_INTEREST_REQUEST = (
            "EXPRESSION_OF_INTEREST_REQUEST",
            "Expression of interest request",
        )
        EXPRESSION_OF_INTEREST_RESPONSE = (
            "EXPRESSION_OF_INTEREST_RESPONSE",
            "Expression of interest response",
        )
        TENDER_STATUS_REQUEST = "TENDER_STATUS_REQUEST", "Tender status request"
        CALL_FOR_TENDERS = "CALL_FOR_TENDERS", "Call for tenders"
        TENDER = "TENDER", "Tender"
        TENDER_RECEIPT = "TENDER_RECEIPT", "Tender receipt"

    class Status(models.TextChoices):
        PROCESSING = "PROCESSING", "Processing"
        RESERVED = "RESERVED", "Reserved"
        DELIVERED = "DELIVERED", "Delivered"
        CONFIRMED_DELIVERY = "CONFIRMED_DELIVERY", "Delivery confirmed"
        FAILED = "FAILED", "Failed"
        # The portal's own, as for invoices: a send whose answer was lost (looked up by its
        # transmission id before anything is sent again), and a document staff uploaded and
        # previewed but have not sent.
        UNKNOWN = "UNKNOWN", "Unknown (answer lost)"
        DRAFT = "DRAFT", "Draft (not sent)"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="documents"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    maventa_id = models.UUIDField("Maventa document id", unique=True, null=True, blank=True)
    # Sent as `transmission_id` (unique at Maventa): how a lost answer is found again.
    transmission_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    type = models.CharField(max_length=40, choices=Type.choices, default=Type.UNKNOWN)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROCESSING)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    number = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    network = models.CharField(max_length=32, blank=True)
    source_format = models.CharField(max_length=32, blank=True)
    maventa_created_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    last_event = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=_invoice_path, blank=True)
    file_checksum = models.CharField("file checksum (SHA-256)", max_length=64, blank=True)
    # What staff gave for the send (type, recipient), and what the portal read from the file.
    send_options = models.JSONField(default=dict, blank=True)
    # Maventa's events of the document (FIELDS.md section 6, DocumentEvent), each kept once.
    events = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["company", "direction", "-created_at"], name="document_company_dir"
            ),
            models.Index(fields=["direction", "status"], name="document_dir_status"),
            models.Index(fields=["company", "file_checksum"], name="document_checksum"),
            models.Index(fields=["company", "direction", "sent_at"], name="document_company_sent"),
            models.Index(fields=["sent_at", "status"], name="document_sent_day"),
            models.Index(fields=["received_at", "status"], name="document_received_day"),
            models.Index(fields=["status", "updated_at"], name="document_status_updated"),
            models.Index(fields=["created_at"], name="document_created"),
            models.Index(fields=["number"], name="document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number or self.maventa_id or '–'}"

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}


class Attachment(models.Model):
    """A file that came with an invoice or a document, beside its XML and PDF image."""

    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    maventa_file_id = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    file = models.FileField(upload_to="exchange/attachments/%Y/%m/", blank=True)
    checksum = models.CharField("checksum (SHA-256)", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(invoice__isnull=False) | models.Q(document__isnull=False),
                name="attachment_has_a_parent",
            )
        ]

    def __str__(self) -> str:
        return self.filename


class ReceiveWatermark(models.Model):
    """How far received invoices of a company are known: windows up to here completed."""

    class ReturnFormat(models.TextChoices):
        # GET /v1/invoices/{id} `return_format` (FIELDS.md section 5), XML values only; empty:
        # the XML file as the sender sent it, in whatever format that was.
        ORIGINAL = "", "As received (original file)"
        VISMAXML60 = "VISMAXML60", "Visma XML 6.0"
        PEPPOLBIS30 = "PEPPOLBIS30", "Peppol BIS 3.0"
        SIUBL20 = "SIUBL20", "SI-UBL 2.0"
        VISMAUBL30 = "VISMAUBL30", "Visma UBL 3.0"
        FINVOICE30 = "FINVOICE30", "Finvoice 3.0"
        TEAPPS30 = "TEAPPS30", "TEAPPSXML 3.0"

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, related_name="receive_watermark"
    )
    received_until = models.DateTimeField(null=True, blank=True)
    # The XML format the company's received invoices are fetched in (its ERP's).
    return_format = models.CharField(
        max_length=16, choices=ReturnFormat.choices, default=ReturnFormat.ORIGINAL, blank=True
    )
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Received invoices of {self.company_id} up to {self.received_until}"


class FraudReport(models.Model):
    """A received invoice staff reported to Maventa as fraud or spam (FIELDS.md section 5)."""

    class Outcome(models.TextChoices):
        REPORTED = "REPORTED", "Reported"
        ALREADY_REPORTED = "ALREADY_REPORTED", "Already reported by this company"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="fraud_reports")
    reasons = models.JSONField(default=list)
    contact_email = models.EmailField()
    description = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"Report of {self.invoice} ({self.get_outcome_display()})"


class DetectResult(models.Model):
    """One Detect check of a received invoice, as Maventa last answered it (FIELDS.md section 8)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="detect_results")
    check_name = models.CharField(max_length=40)
    status = models.CharField(max_length=20)
    result = models.CharField(max_length=20, blank=True)
    reason_code = models.CharField(max_length=80, blank=True)
    text = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["check_name"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "check_name"], name="detect_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.result or self.status}"


class WebhookEvent(models.Model):
    """One distinct event Maventa posted to ``/webhooks/maventa/``, as it arrived.

    The raw body is kept as it came (headers with secrets redacted); ``dedupe_key`` (the
    event's name, company, timestamp and object ids: exchange.webhooks.names) makes a repeat
    delivery count on the first row instead of adding one, so each event is applied once.
    """

    class State(models.TextChoices):
        RECEIVED = "RECEIVED", "Received (not processed yet)"
        PROCESSING = "PROCESSING", "Processing (fetching from Maventa)"
        PROCESSED = "PROCESSED", "Processed"
        FAILED = "FAILED", "Failed"
        UNMATCHED = "UNMATCHED", "Unmatched (company unknown to the portal)"
        INVALID = "INVALID", "Invalid (not JSON, or no event name)"
        UNKNOWN_TYPE = "UNKNOWN_TYPE", "Unknown event type"

    class Family(models.TextChoices):
        # API.md "Webhooks": the three families Maventa posts.
        DOCUMENTS = "DOCUMENTS", "Documents"
        NETWORKS = "NETWORKS", "Networks"
        AUTHORIZATION = "AUTHORIZATION", "Company authorization"
        # FIELDS.md 13: a service's onboarding outcome (names assumed, maventa_api.amili).
        SERVICES = "SERVICES", "Services"
        UNKNOWN = "UNKNOWN", "Unknown"

    dedupe_key = models.CharField(max_length=64, unique=True)
    name = models.CharField("event", max_length=120, blank=True)
    family = models.CharField(max_length=16, choices=Family.choices, default=Family.UNKNOWN)
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_events",
    )
    # As Maventa sent it: kept when the portal does not know the company (UNMATCHED).
    maventa_company_id = models.CharField("Maventa company id", max_length=64, blank=True)
    event_timestamp = models.DateTimeField(null=True, blank=True)
    # The id of the invoice, document or network profile the event concerns.
    object_id = models.CharField(max_length=100, blank=True)
    body = models.TextField("raw body")
    payload = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    times_seen = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # PROCESSING: the worker fetching from Maventa holds the event until then. FAILED: the
    # sweep tries it again only after then. Either way, after it the sweep takes it.
    lease_until = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        permissions = [("reprocess_webhookevent", "Can reprocess webhook events")]
        indexes = [
            models.Index(fields=["state", "updated_at"], name="webhook_event_state"),
            models.Index(fields=["name", "-received_at"], name="webhook_event_name"),
            models.Index(fields=["company", "-received_at"], name="webhook_event_company"),
            # The changelist's order and date hierarchy, the dashboard's events per hour.
            models.Index(fields=["received_at"], name="webhook_event_received"),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'invalid event'} ({self.received_at:%Y-%m-%d %H:%M:%S})"

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}


class WebhookSubscription(models.Model):
    """A notification subscription registered at Maventa (FIELDS.md section 4)."""

    class DestinationType(models.TextChoices):
        WEBHOOK = "WEBHOOK", "Company webhook"
        VENDOR_WEBHOOK = "VENDOR_WEBHOOK", "Vendor webhook (every company of a vendor key)"

    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
    )
    destination_type = models.CharField(max_length=16, choices=DestinationType.choices)
    vendor_key = models.ForeignKey(
        "companies.VendorKey",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
    )
    events = models.JSONField(default=list)
    # The destination without its secret: the secret lives in settings only.
    destination = models.URLField(max_length=500, blank=True)
    maventa_id = models.CharField("Maventa notification id", max_length=64, unique=True)
    # Which secret the destination carries (a short digest of it, never the secret): after a
    # rotation, the subscriptions still on the old one are registered again.
    secret_hint = models.CharField(max_length=16, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("manage_webhooksubscription", "Can register and delete webhooks")]

    def __str__(self) -> str:
        whose = self.company or self.vendor_key or "the partner"
        return f"{self.get_destination_type_display()} for {whose}"


class ReconcileRun(models.Model):
    """One pass of ``reconcile``: what it polled, and what it found that no webhook had told."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=40, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    # [{"kind", "object", "change"}]: changes the poll made that no processed webhook covered.
    findings = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Reconcile of {self.started_at:%Y-%m-%d %H:%M}"


class PartnerFeedState(models.Model):
    """How far a partner feed was read: failed deliveries are asked for since ``polled_until``
    (with an overlap), and the window moves on only when a poll read it whole."""

    feed = models.CharField(max_length=40, unique=True)
    polled_until = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_counts = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.feed} until {self.polled_until or '-'}"


from .print_models import PrintAccount, PrintBatch  # noqa: E402, F401 - models of the app
