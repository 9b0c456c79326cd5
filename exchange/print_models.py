"""Direct Print (Payslip, API.md "Payslip (Direct Print)"): a company's print account and the
zip packages of letters sent through it.

A batch is claimed with its request key and queued with its package; the task worker sends
it (a package of tens of megabytes outlasts any web request). The same form sent twice queues
once, and the QUEUED -> SENDING step is taken under the row's lock: a task run twice sends once.
The stored zip (payslips are personal data) is deleted once the batch is final. A batch whose
send was not answered stays UNKNOWN until ``file_status`` (asked by its file name, which is
unique) says what Maventa has; it is never sent again silently.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from maventa_portal.core import crypto


class PrintAccount(models.Model):
    """How the portal authenticates to Direct Print for one company (by HTTP headers).

    The secret is the Direct Print password (``account``), or a Maventa user API key other
    than the company's stored one (``company``); empty means the company's own key is used.
    Encrypted at rest like ``companies.CompanyCredential``, never shown again once saved.
    """

    class Scheme(models.TextChoices):
        ACCOUNT = "account", "Direct Print account (USERNAME + USERPW)"
        COMPANY = "company", "Maventa account (COMPANY-UUID + USER-API-KEY)"

    class State(models.TextChoices):
        REGISTERED = "registered", "Registered"
        REFUSED = "refused", "Refused by Maventa"

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, related_name="print_account"
    )
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    username = models.CharField(max_length=150, blank=True)
    ENCRYPTED_FIELDS = ("encrypted_secret",)  # re-encrypted by rotate_credentials
    encrypted_secret = models.TextField(blank=True, editable=False)
    state = models.CharField(max_length=12, choices=State.choices, default=State.REGISTERED)
    maventa_text = models.TextField(blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        permissions = [("register_print", "Can register Direct Print for a company")]

    def __str__(self) -> str:
        return f"Direct Print of {self.company}"

    def __repr__(self) -> str:
        return f"<PrintAccount company={self.company_id} scheme={self.scheme}>"

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}

    def set_secret(self, plain: str) -> None:
        self.encrypted_secret = crypto.encrypt(plain) if plain else ""

    def get_secret(self) -> str:
        return crypto.decrypt(self.encrypted_secret) if self.encrypted_secret else ""

    @property
    def secret_hint(self) -> str:
        """What staff may know of the secret: whether one is kept, never any of it."""
        if self.encrypted_secret:
            return "stored encrypted (not shown)"
        if self.scheme == self.Scheme.COMPANY:
            return "the company's stored API key"
        return "none"


class PrintBatch(models.Model):
    """One zip package of letters sent to Direct Print, and what Maventa said of it since.

    ``status`` holds the portal's own states until Maventa answers ``file_status``; from then
    on it is Maventa's status word, kept as Maventa writes it.
    """

    class Status(models.TextChoices):
        QUEUED = "QUEUED", "Queued: the task worker sends it"
        SENDING = "SENDING", "Sending"
        ACCEPTED = "ACCEPTED", "Accepted by Maventa"
        FAILED = "FAILED", "Failed"
        UNKNOWN = "UNKNOWN", "Unknown: Maventa did not answer; its status is being checked"

    class DocumentType(models.TextChoices):
        PDFXML = "PDFXML", "PDF letters"
        EPL = "EPL", "EPL letters"

    class LetterClass(models.TextChoices):
        PRIORITY = "priority", "Priority"
        ECONOMY = "economy", "Economy"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="print_batches"
    )
    filename = models.CharField(max_length=120, unique=True)
    checksum = models.CharField("SHA-1", max_length=40, db_index=True)
    size = models.PositiveBigIntegerField(help_text="Bytes of the zip.")
    letters = models.PositiveIntegerField(default=0)
    # The checked zip until the batch is final; checksum, size and entries stay after.
    package = models.FileField(upload_to="print/%Y/%m/", blank=True)
    entries = models.JSONField(default=list, blank=True)
    document_type = models.CharField(max_length=8, choices=DocumentType.choices)
    letter_class = models.CharField(max_length=10, choices=LetterClass.choices)
    color_print = models.BooleanField(default=False)
    duplex = models.BooleanField(default=False)
    status = models.CharField(max_length=64, default=Status.SENDING, db_index=True)
    final = models.BooleanField(default=False)
    # [{"at": iso time, "status": ..., "text": ...}], appended only when something changed.
    history = models.JSONField(default=list, blank=True)
    maventa_text = models.TextField("Maventa's last text", blank=True)
    request_key = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    polls = models.PositiveIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "print batches"
        indexes = [
            # The attention queue's failed batches, newest first; the changelist's order.
            models.Index(fields=["status", "created_at"], name="print_batch_status_created"),
            models.Index(fields=["company", "-created_at"], name="print_batch_company"),
            models.Index(fields=["created_at"], name="print_batch_created"),
        ]
        permissions = [("send_print", "Can send Direct Print packages")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}

    @property
    def status_label(self) -> str:
        if self.status in self.Status.values:
            return self.Status(self.status).label
        return self.status
