"""Who the imitated Maventa knows: who may log in, which companies exist, which tokens were
issued, which network registrations they hold and which events (webhook material) happened to them.

Secrets (API keys, operator secrets, access tokens) are kept only as SHA-256 digests, as a real
service would keep them: the sandbox hands each one out once, when it is created. Every table is
prefixed ``sandbox_`` by the app label, so the imitation never mixes with the portal's own data.
"""

import hashlib
import uuid

from django.db import models
from django.utils import timezone


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Vendor(models.Model):
    """A partner's vendor API key; companies are linked to it (API.md, Companies)."""

    api_key_digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name or f"vendor {self.pk}"


class Operator(models.Model):
    operator_id = models.CharField(max_length=200, unique=True)
    secret_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.operator_id


class User(models.Model):
    """A Maventa user: its API key is the client secret of company tokens."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField()
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    api_key_digest = models.CharField(max_length=64, unique=True)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="users")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


class Company(models.Model):
    class State(models.TextChoices):
        VERIFIED = "VERIFIED"
        UNVERIFIED = "UNVERIFIED"
        UNKNOWN = "UNKNOWN"

    class AuthState(models.TextChoices):
        """State of the Visma Sign request (FIELDS.md section 2)."""

        PENDING = "PENDING"
        SENT = "SENT"
        SIGNED = "SIGNED"
        CANCELED = "CANCELED"
        NONE = "NONE"

    class Country(models.TextChoices):
        FI = "FI"
        SE = "SE"
        NO = "NO"
        DK = "DK"
        NL = "NL"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    bid = models.CharField(max_length=40)
    no_vat = models.BooleanField(default=True)
    vat = models.CharField(max_length=40, blank=True)
    eia = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, choices=Country.choices)
    address1 = models.CharField(max_length=200, blank=True)
    address2 = models.CharField(max_length=200, blank=True)
    post_code = models.CharField(max_length=20, blank=True)
    post_office = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    activate_duetto = models.BooleanField(default=True)
    company_state = models.CharField(max_length=10, choices=State.choices, default=State.UNVERIFIED)
    auth_state = models.CharField(max_length=8, choices=AuthState.choices, default=AuthState.NONE)
    auth_email = models.EmailField(blank=True)
    # When the automatic KYC completes (lifecycle.py); null when the state was set explicitly or
    # the lifecycle says "never". Stored, so that a read and a tick reach the same moment.
    verify_at = models.DateTimeField(null=True, blank=True)
    # Networks Maventa enables "by separate agreement" (INEXCHANGE, NEMHANDEL; API.md).
    agreement_networks = models.JSONField(default=list, blank=True)
    users = models.ManyToManyField(User, related_name="companies", blank=True)
    # Linking a vendor key is what makes that partner's vendor webhooks reach the company.
    vendors = models.ManyToManyField(Vendor, related_name="companies", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(fields=["bid", "country"], name="sandbox_company_bid_country")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country} {self.bid})"


class Token(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company"
        OPERATOR = "operator"

    token_digest = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    client_id = models.CharField(max_length=200)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    vendor = models.ForeignKey(
        Vendor, null=True, blank=True, on_delete=models.SET_NULL, related_name="tokens"
    )
    # The scope names as granted (aliases kept), space-separated as in the token response.
    scope = models.CharField(max_length=1000)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} token for {self.client_id}"


class Registration(models.Model):
    """A network profile registration, ``APIEntitiesCompanyProfile`` (FIELDS.md section 3)."""

    class Status(models.TextChoices):
        # Maventa spells these in lower case.
        PENDING = "pending"
        ACTIVE = "active"
        ERROR = "error"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="registrations")
    network = models.CharField(max_length=20)
    profiles = models.JSONField(default=list)
    profile_version = models.CharField(max_length=20, blank=True)
    endpoint_id = models.CharField(max_length=60)
    scheme = models.CharField(max_length=10)
    network_settings = models.JSONField(null=True, blank=True)
    # {profile_name: [extension, ...]} as set by PUT .../extensions.
    extensions = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # When a pending registration turns active by itself; null once a status was forced.
    activates_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_event_message = models.CharField(max_length=500, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    # Set by the caller rather than auto_now_add: a registration requested by the lifecycle is
    # dated at the moment the lifecycle made it due, not at the read that noticed it.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.network} {','.join(self.profiles)} ({self.status})"


class Event(models.Model):
    """A state change Maventa announces by webhook (API.md "Webhooks"), kept for delivery."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
