"""OP Laskulaina (invoice credit) of a company: the service with its signing state and terms,
and the entries of its credit account (withdrawals, repayments, direct payments).

Field names on the wire are decided in ``op_credit``; these models only hold state.
"""

import uuid

from django.db import models
from django.utils import timezone

from .companies import Company
from .invoices import Invoice


class OpInvoiceCredit(models.Model):
    """``PUT /v1/services/op_invoice_credit`` of one company; ``terms`` the accepted ones."""

    class Status(models.TextChoices):
        DISABLED = "DISABLED"
        ACTIVE = "ACTIVE"
        PENDING = "PENDING"

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="op_invoice_credit"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DISABLED)
    contact_email = models.CharField(max_length=254)
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11)
    bank = models.CharField(max_length=200)
    channel_user_id = models.CharField(max_length=64)
    # The secret part of the activation URL: whoever opens it signs for the company.
    sign_token = models.CharField(max_length=64, unique=True)
    terms = models.JSONField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.company_id} OP {self.status}"


class OpCreditEntry(models.Model):
    class Kind(models.TextChoices):
        WITHDRAWAL = "WITHDRAWAL"
        REPAYMENT = "REPAYMENT"
        DIRECT_PAYMENT = "DIRECT_PAYMENT"  # an invoice paid to the sender, out of collateral

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="op_credit_entries")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="op_credit_entries"
    )
    booked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["booked_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
