"""State of the imitated Maventa: who may log in, which companies exist, which tokens were issued.

Secrets (API keys, operator secrets, access tokens) are kept only as SHA-256 digests, as a real
service would keep them: the sandbox hands each one out once, when it is created. Every table is
prefixed ``sandbox_`` by the app label, so the imitation never mixes with the portal's own data.
"""

import hashlib
import uuid

from django.db import models


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
