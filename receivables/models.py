"""Receivables mirrored from Maventa: the service's activation per company, the collection cases
(assignments) handed to Visma Amili with their events, customers' service levels, and the message
threads with Amili.

Maventa is the truth for all of it; the portal keeps a copy to list, search and count unread
messages without a call, plus what only the portal knows: who replied, and when it told Maventa
that a message was seen. Values are Maventa's (API.md "Receivables API", FIELDS.md sections 9 and
13) with an ``UNKNOWN`` fallback for values not seen before.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReceivablesActivation(models.Model):
    class Status(models.TextChoices):
        DISABLED = "DISABLED", "Disabled"
        PENDING = "PENDING", "Pending"
        ACTIVE = "ACTIVE", "Active"
        REJECTED = "REJECTED", "Rejected"  # told by webhook (v2 flow)
        UNKNOWN = "UNKNOWN", "Unknown"

    class AccountableParty(models.TextChoices):
        VFSFI = "vfsfi", "Visma Financial Solutions (its account, reference and image)"
        COMPANY = "company", "The company (its own account, reference and image)"

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, related_name="receivables_activation"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DISABLED)
    api_version = models.PositiveSmallIntegerField(default=1)  # 1 or 2 (Amili v2 flow)
    iban = models.CharField(max_length=34, blank=True)
    bic = models.CharField(max_length=11, blank=True)
    bank = models.CharField(max_length=200, blank=True)
    contact_person = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone_number = models.CharField(max_length=40, blank=True)
    customer_service_email = models.EmailField(blank=True)
    customer_service_phone_number = models.CharField(max_length=40, blank=True)
    authorization_email = models.EmailField(blank=True)
    accountable_party = models.CharField(
        max_length=16, choices=AccountableParty.choices, blank=True
    )
    own_invoice_image = models.BooleanField(null=True, blank=True)
    # {country, streets[], city, zip_code}, as sent.
    billing_address = models.JSONField(default=dict, blank=True)
    postal_address = models.JSONField(default=dict, blank=True)
    # The collection account and invoice notices staff copy onto invoices.
    vfsfi_iban = models.CharField(max_length=34, blank=True)
    vfsfi_bic = models.CharField(max_length=11, blank=True)
    vfsfi_account_number = models.CharField(max_length=64, blank=True)
    vfsfi_notes = models.JSONField(default=list, blank=True)  # [{phrase, code: FI|SV|EN}]
    activation_url = models.URLField(max_length=1000, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("manage_receivables", "Can activate and disable receivables")]

    def __str__(self) -> str:
        return f"Receivables of {self.company} ({self.status})"


class Assignment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PARTIALLY_CLOSED = "partially_closed", "Partially closed"
        CLOSED = "closed", "Closed"
        UNKNOWN = "unknown", "Unknown"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="assignments"
    )
    maventa_id = models.CharField(max_length=64, unique=True)
    # The sent invoice's UUID (`invoice_id`, `reference_ids`); matched to exchange's invoices
    # by value, as receivables does not import exchange.
    invoice_id = models.CharField(max_length=64, blank=True, db_index=True)
    reference_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    debtor_name = models.CharField(max_length=300, blank=True)
    debtor_bid = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    open_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    due_date = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        permissions = [("add_assignment_event", "Can add events to assignments")]
        indexes = [
            models.Index(fields=["company", "status"], name="assignment_company_status"),
            # Open and overdue assignments on the dashboard.
            models.Index(fields=["status", "due_date"], name="assignment_status_due"),
        ]

    def __str__(self) -> str:
        return f"Assignment {self.maventa_id} ({self.status})"


class AssignmentEvent(models.Model):
    class Type(models.TextChoices):
        COMMENT = "comment", "Comment"
        PAID = "paid", "Paid"
        CLOSE = "close", "Closed"
        CREDIT_NOTE = "credit_note", "Credit note"
        DUE_DATE_CHANGE = "due_date_change", "Due date change"
        CANCELLATION = "cancellation", "Cancellation"
        UNKNOWN = "unknown", "Unknown"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    maventa_id = models.CharField(max_length=64, unique=True)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.UNKNOWN)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    message = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    happened_at = models.DateTimeField(null=True, blank=True)
    seen = models.BooleanField(default=False)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["happened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.type} on {self.assignment_id}"


class ServiceLevel(models.Model):
    class Level(models.TextChoices):
        PREMIUM = "premium", "Premium"
        VIP = "vip", "VIP"
        SERVICE_BYPASS = "service_bypass", "Service bypass"
        # Everyone Maventa does not list; kept when staff set a customer back to it.
        DEFAULT = "default", "Default"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="service_levels"
    )
    customer_bid = models.CharField(max_length=64)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.DEFAULT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["customer_bid"]
        permissions = [("set_service_level", "Can set customers' service levels")]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "customer_bid"], name="service_level_once_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_bid}: {self.level}"


class MessageThread(models.Model):
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="message_threads"
    )
    maventa_id = models.CharField(max_length=64, unique=True)
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    subject = models.CharField(max_length=300, blank=True)
    flagged = models.BooleanField(default=False)
    last_message_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    raw = models.JSONField(default=dict, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The inbox's order: unread first, then flagged, then the newest.
        ordering = ["-unread_count", "-flagged", "-last_message_at", "-pk"]
        permissions = [
            ("reply_message", "Can reply to messages from Visma Amili"),
            ("flag_messagethread", "Can flag and unflag message threads"),
        ]
        indexes = [
            models.Index(fields=["company", "-last_message_at"], name="thread_company_latest"),
            # The fleet's unread per company; the inbox's and the admin's order.
            models.Index(fields=["company", "unread_count"], name="thread_company_unread"),
            models.Index(
                fields=["-unread_count", "-flagged", "-last_message_at", "-id"],
                name="thread_inbox_order",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"Thread {self.maventa_id}"


class Message(models.Model):
    class AuthorKind(models.TextChoices):
        AMILI = "amili", "Visma Amili"
        COMPANY = "company", "Company user"
        UNKNOWN = "unknown", "Unknown"

    thread = models.ForeignKey(MessageThread, on_delete=models.CASCADE, related_name="messages")
    maventa_id = models.CharField(max_length=64, unique=True)
    author_kind = models.CharField(
        max_length=16, choices=AuthorKind.choices, default=AuthorKind.UNKNOWN
    )
    author_name = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    # When the portal told Maventa it was seen: at most once per message.
    seen_marked_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            # The portal's replies are the company's: only they have a replying user.
            models.CheckConstraint(
                condition=models.Q(replied_by__isnull=True) | ~models.Q(author_kind="amili"),
                name="message_amili_has_no_replier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_author_kind_display()}: {self.body[:40]}"


# Longer than any call to Maventa may take (the client's timeouts), with margin.
CUT_OFF = timedelta(minutes=5)


class CreditWithdrawal(models.Model):
    """A withdrawal from a company's OP Laskulaina credit, as staff asked for it.

    ``request_key`` is made when the confirmation is shown: the same confirmation sent twice
    withdraws once. A withdrawal Maventa did not answer stays UNKNOWN: sending it again could
    withdraw twice, so staff check the available credit first.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Unknown: check available credit before trying again"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="credit_withdrawals"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The available credit shown when staff confirmed.
    available_then = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    message = models.CharField(max_length=500, blank=True)  # Maventa's, when it refused
    request_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("manage_invoice_credit", "Can activate OP Laskulaina, accept terms, pay directly"),
            ("withdraw_credit", "Can withdraw from OP Laskulaina credit"),
        ]

    def __str__(self) -> str:
        return f"Withdrawal of {self.amount} EUR for {self.company} ({self.state})"

    @property
    def shown_state(self) -> str:
        """A withdrawal still "requested" after its call could have ended was cut off (a worker
        killed mid-call): staff must treat it as unknown, not as on its way."""
        if self.state == self.State.REQUESTED and self.requested_at < timezone.now() - CUT_OFF:
            return self.State.UNKNOWN.label
        return self.get_state_display()
