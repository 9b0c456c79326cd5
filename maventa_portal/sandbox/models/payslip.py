"""Payslip (Direct Print): the Direct Print account of a company and the zip packages sent.

A package's status is not stored as it moves: it follows from ``received_at`` and the step
length frozen at receipt (``payslip_state``), so that time passing needs no worker.
"""

import uuid

from django.db import models
from django.utils import timezone

from .companies import Company

USERNAME_MAX = 100
FILENAME_MAX = 255


class PrintAccount(models.Model):
    """Made by ``POST /register``; its password is kept only as a digest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="print_account")
    username = models.CharField(max_length=USERNAME_MAX, unique=True)
    password_digest = models.CharField(max_length=64, blank=True)
    company_name = models.CharField(max_length=200)
    business_id = models.CharField(max_length=40)
    contact_email = models.CharField(max_length=254)
    contact_phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.username


class PrintPackage(models.Model):
    """One zip sent to ``POST /input_public``; a name is taken once per account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(PrintAccount, on_delete=models.CASCADE, related_name="packages")
    filename = models.CharField(max_length=FILENAME_MAX)
    sha1 = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    letters = models.PositiveIntegerField()
    document_type = models.CharField(max_length=10)
    letter_class = models.CharField(max_length=10)
    color_print = models.BooleanField(default=False)
    duplex = models.BooleanField(default=False)
    version = models.CharField(max_length=255, blank=True)
    # Decided at receipt: the package ends in ERROR instead of SENT.
    fails = models.BooleanField(default=False)
    step_seconds = models.FloatField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "filename"], name="sandbox_print_package_name_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.filename}"
