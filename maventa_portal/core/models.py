"""The portal's own records: the audit trail."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry
from django.db import models

IMMUTABLE = "Audit entries are never changed or deleted."


class AuditEntry(AbstractLogEntry):
    """One thing staff (or the system for them) did or asked for, with its outcome.

    django-auditlog writes model changes here (``event`` blank, ``action`` create, update or
    delete, ``changes`` before and after); services write what was asked of Maventa (``event``
    such as ``company.create``, ``asked`` without secrets, ``outcome`` and ``reason``).
    """

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    event = models.CharField(max_length=64, blank=True, db_index=True)
    asked = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.DONE)
    reason = models.TextField(blank=True)
    via = models.CharField(max_length=120, blank=True)
    # No database constraint and no cascade: an entry outlives the company it speaks of.
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_entries",
    )

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"
        indexes = [
            models.Index(fields=["company", "-timestamp"], name="audit_company_time"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        if self.event:
            return f"{self.event} {self.object_repr}: {self.get_outcome_display()}"
        return super().__str__()

    @property
    def summary(self) -> str:
        """What happened, in a line: the event, or the model change with its fields."""
        if self.event:
            return self.event
        verb = dict(self.Action.choices).get(self.action, "changed")
        return f"{self.content_type.name} {verb}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError(IMMUTABLE)
        if self.company_id is None and isinstance(self.additional_data, dict):
            # Models that belong to a company say which through get_additional_data().
            self.company_id = self.additional_data.get("company_id")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(IMMUTABLE)


class ConnectionCheck(models.Model):
    """The last check of the connection to Maventa, one row per Maventa environment.

    Pages show this instead of asking Maventa on every load; the schedule and "Check now"
    write it (``core.connection``). In the database rather than the cache, so that it is
    still there when Redis is not.
    """

    environment = models.CharField(max_length=16, unique=True)
    ok = models.BooleanField(default=False)
    checked_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    client_id = models.CharField(max_length=100, blank=True)
    # Maventa's own text for the token's expiry, shown as it came.
    token_expires_at = models.CharField(max_length=64, blank=True)
    # The staff message of the failure; the technical detail goes to the log only.
    message = models.TextField(blank=True)

    class Meta:
        permissions = [("check_connection", "Can check the connection to Maventa now")]

    def __str__(self) -> str:
        return f"{self.environment}: {'ok' if self.ok else 'failed'} at {self.checked_at}"
