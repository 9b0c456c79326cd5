"""The portal's own records: the audit trail."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry
from django.conf import settings
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
            models.Index(fields=["outcome", "-timestamp"], name="audit_outcome_time"),
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


class BulkRun(models.Model):
    """One piece of bulk work staff started: a kind (see ``core.bulk.kinds``), its options and
    items. Finished once every item has ended; ``request_key`` makes a form sent twice start
    one run."""

    kind = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=300)
    options = models.JSONField(default=dict, blank=True)
    request_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The starter's address: each item's audit entry names it, as the request's would.
    created_from = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When workers were last asked to drain it: the sweeper asks again only after a pause.
    drained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["finished_at"], name="bulk_run_open")]

    def __str__(self) -> str:
        return self.title


class BulkItem(models.Model):
    """One unit of a run (a company, a CSV row), claimed by a worker under a lease.

    A worker owns an item while ``lease_token`` is its token and ``lease_until`` has not
    passed; only the owner may end it, so an item ends exactly once even when a lost worker's
    item is taken over.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(BulkRun, on_delete=models.CASCADE, related_name="items")
    # The run's kind again: the kind's concurrency bound is counted on this table alone.
    kind = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    object_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    label = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Encrypted (core.crypto); for what an item must carry that is secret (an API key to link).
    secret_payload = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "position", "pk"]
        indexes = [
            models.Index(fields=["run", "status", "position"], name="bulk_item_claim"),
            models.Index(fields=["status", "lease_until"], name="bulk_item_lease"),
            models.Index(fields=["kind", "status", "lease_until"], name="bulk_item_kind_running"),
            # Bulk items by state in the attention queue.
            models.Index(fields=["status", "updated_at"], name="bulk_item_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.object_id} in run {self.run_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
