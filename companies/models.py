"""Companies as Maventa knows them, their stored credentials and network profiles.

State mirrored from Maventa (ids, states, statuses) plus what staff asked for. No remote
calls here: services do those.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from maventa_portal.core import crypto
from maventa_portal.core.validators import plain_text


class Country(models.TextChoices):
    FI = "FI", "Finland"
    NO = "NO", "Norway"
    SE = "SE", "Sweden"
    DK = "DK", "Denmark"
    NL = "NL", "Netherlands"
    DE = "DE", "Germany"
    BE = "BE", "Belgium"


class VendorKey(models.Model):
    """A partner's vendor API key. Companies without one use MAVENTA_VENDOR_API_KEY."""

    name = models.CharField(max_length=100, unique=True)
    ENCRYPTED_FIELDS = ("encrypted_key",)  # re-encrypted by rotate_credentials
    encrypted_key = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def set_key(self, plain: str) -> None:
        self.encrypted_key = crypto.encrypt(plain)

    def get_key(self) -> str:
        return crypto.decrypt(self.encrypted_key)


def _without(expression, *characters: str):
    for character in characters:
        expression = Replace(expression, models.Value(character), models.Value(""))
    return expression


# Separators a business id may be written with (bids.GENERIC); the list's search drops them too.
BID_SEPARATORS = ("-", " ", ".", "/")


class Company(models.Model):
    class State(models.TextChoices):
        # Maventa's company_state (API.md: unverified is also written -1).
        VERIFIED = "VERIFIED", "Verified"
        UNVERIFIED = "UNVERIFIED", "Unverified"
        UNKNOWN = "UNKNOWN", "Unknown"

    class AuthState(models.TextChoices):
        # State of the Visma Sign request behind KYC (FIELDS.md section 2).
        PENDING = "PENDING", "Pending"
        SENT = "SENT", "Sent"
        SIGNED = "SIGNED", "Signed"
        CANCELED = "CANCELED", "Canceled"
        NONE = "NONE", "None"

    name = models.CharField(max_length=200, validators=[plain_text])
    bid = models.CharField("business id", max_length=32)
    # Computed by the database on every write (save, update() and bulk_create alike): no
    # write path can leave it stale, and searching 26604216 finds 2660421-6.
    bid_compact = models.GeneratedField(
        expression=Upper(_without(models.F("bid"), *BID_SEPARATORS)),
        output_field=models.CharField(max_length=32),
        db_persist=True,
    )
    country = models.CharField(max_length=2, choices=Country.choices)
    maventa_id = models.UUIDField("Maventa company id", unique=True, null=True, blank=True)
    eia = models.CharField("e-invoice address", max_length=64, blank=True)
    email = models.EmailField(blank=True, validators=[plain_text])
    address1 = models.CharField(max_length=200, blank=True, validators=[plain_text])
    post_code = models.CharField(max_length=20, blank=True, validators=[plain_text])
    post_office = models.CharField(max_length=100, blank=True, validators=[plain_text])
    city = models.CharField(max_length=100, blank=True, validators=[plain_text])
    company_state = models.CharField(max_length=16, choices=State.choices, default=State.UNKNOWN)
    auth_state = models.CharField(max_length=16, choices=AuthState.choices, default=AuthState.NONE)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_checked_at = models.DateTimeField(null=True, blank=True)
    vendor_key = models.ForeignKey(
        VendorKey, null=True, blank=True, on_delete=models.PROTECT, related_name="companies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        # Beyond add/change/delete/view: what operators do at Maventa for a company.
        permissions = [
            ("register_profiles", "Can register network profiles"),
            ("manage_credentials", "Can replace API keys"),
            ("request_verification", "Can request KYC verification"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "bid"], name="company_unique_bid_per_country"
            )
        ]
        indexes = [
            # The changelist's and the fleet's order; companies stuck unverified.
            models.Index(fields=["name"], name="company_name"),
            models.Index(
                fields=["company_state", "state_changed_at"], name="company_state_changed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.bid})"

    def get_additional_data(self) -> dict:
        # Read by the audit trail, so that changes of a company appear in its history.
        return {"company_id": self.pk}

    @property
    def is_verified(self) -> bool:
        return self.company_state == self.State.VERIFIED

    def set_state(self, state: str, *, at=None) -> bool:
        """Records a new company_state; returns whether it changed."""
        if state == self.company_state:
            return False
        self.company_state = state
        self.state_changed_at = at or timezone.now()
        return True


class CompanyCredential(models.Model):
    """The company's user API key: encrypted at rest, never shown again once saved."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="credential")
    ENCRYPTED_FIELDS = ("encrypted_api_key",)  # re-encrypted by rotate_credentials
    encrypted_api_key = models.TextField(editable=False)
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"API key of {self.company}"

    def __repr__(self) -> str:
        return f"<CompanyCredential company={self.company_id} set_at={self.set_at:%Y-%m-%d}>"

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}

    def set_api_key(self, plain: str) -> None:
        self.encrypted_api_key = crypto.encrypt(plain)
        self.set_at = timezone.now()

    def get_api_key(self) -> str:
        return crypto.decrypt(self.encrypted_api_key)


class Network(models.TextChoices):
    # Maventa's network enum (FIELDS.md section 3); SCAN_DOCUMENTS is API.md's newer name.
    VISMA = "VISMA", "VISMA (internal receiving)"
    PEPPOL = "PEPPOL", "PEPPOL"
    BANK = "BANK", "BANK (Finnish banks)"
    SCAN = "SCAN", "SCAN (paper invoices)"
    SCAN_DOCUMENTS = "SCAN_DOCUMENTS", "SCAN_DOCUMENTS (other scanned documents)"
    VISMASCANNER = "VISMASCANNER", "VISMASCANNER"
    INEXCHANGE = "INEXCHANGE", "INEXCHANGE"
    NEMHANDEL = "NEMHANDEL", "NEMHANDEL"
    RECEIVABLES = "RECEIVABLES", "RECEIVABLES (deprecated)"
    AISPROOM = "AISPROOM", "AISPROOM (internal)"


class NetworkProfile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        DISABLED = "disabled", "Disabled"
        FAILED = "failed", "Failed"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="profiles")
    network = models.CharField(max_length=20, choices=Network.choices)
    profiles = models.JSONField(default=list)
    profile_version = models.CharField(max_length=20, blank=True)
    maventa_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    endpoint_id = models.CharField(max_length=64, blank=True)
    scheme = models.CharField(max_length=10, blank=True)
    extensions = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company", "network", "created_at"]
        indexes = [
            models.Index(fields=["status", "network"]),
            # Profiles pending longer than usual, in the attention queue.
            models.Index(fields=["status", "status_changed_at"], name="profile_status_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {'+'.join(self.profiles)} for {self.company}"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ACTIVE)

    def get_additional_data(self) -> dict:
        return {"company_id": self.company_id}


class UnsavedCompany(models.Model):
    """What Maventa made for a company that the portal could not save: kept, never thrown away.

    With ``maventa_id`` set, Maventa created the company and the local save failed; without
    it, Maventa's answer never came (a timeout after sending) and the company was not found
    when looked up. Either way the new user's API key is kept, encrypted, so that saving or
    retrying later links the company instead of creating it again.
    """

    name = models.CharField(max_length=500)
    bid = models.CharField("business id", max_length=64)
    country = models.CharField(max_length=2)
    details = models.JSONField(default=dict, blank=True)
    maventa_id = models.UUIDField("Maventa company id", null=True, blank=True)
    ENCRYPTED_FIELDS = ("encrypted_api_key",)  # re-encrypted by rotate_credentials
    encrypted_api_key = models.TextField(editable=False)
    vendor_key = models.ForeignKey(
        VendorKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "company created on Maventa, not saved here"
        verbose_name_plural = "companies created on Maventa, not saved here"
        constraints = [
            models.UniqueConstraint(
                fields=["country", "bid"],
                condition=models.Q(resolved_at__isnull=True),
                name="unsaved_company_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.bid}, {self.country})"

    def __repr__(self) -> str:
        return f"<UnsavedCompany {self.country} {self.bid} maventa_id={self.maventa_id}>"

    def set_api_key(self, plain: str) -> None:
        self.encrypted_api_key = crypto.encrypt(plain)

    def get_api_key(self) -> str:
        return crypto.decrypt(self.encrypted_api_key)
