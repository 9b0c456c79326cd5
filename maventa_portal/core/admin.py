"""Admin of the portal itself: the audit trail (read-only for everyone), and guarded actions of
third-party admins (task resubmission, lockout clean-up) that would otherwise reach viewers."""

from __future__ import annotations

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_q import admin as q_admin
from django_q.models import Failure, Success

from .admin_mixins import RecordAdminMixin
from .audit import Actor, record
from .models import AuditEntry, BulkItem, BulkRun

# django-auditlog registers its own admin for the entry model; ours replaces it.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdminMixin, admin.ModelAdmin):
    date_hierarchy = "timestamp"
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False
    list_display = ("timestamp", "actor", "remote_addr", "what", "object_repr", "outcome", "reason")
    list_filter = (
        ("actor", admin.RelatedOnlyFieldListFilter),
        "event",
        "outcome",
        ("company", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("actor", "content_type")
    search_fields = ("object_repr", "event", "reason", "actor__username", "remote_addr")
    fields = (
        "timestamp",
        "actor",
        "actor_email",
        "remote_addr",
        "via",
        "what",
        "content_type",
        "object_pk",
        "object_repr",
        "company",
        "asked",
        "changes_table",
        "outcome",
        "reason",
    )
    readonly_fields = fields

    @admin.display(description="what")
    def what(self, entry: AuditEntry) -> str:
        return entry.summary

    @admin.display(description="changes (before → after)")
    def changes_table(self, entry: AuditEntry) -> str:
        changes = entry.changes_display_dict
        if not changes:
            return "–"
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>→ {}</td></tr>", _rows(changes)),
        )


def _rows(changes: dict) -> list[tuple[str, str, str]]:
    rows = []
    for field, values in changes.items():
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects"}
            rows.append((field, values.get("operation", ""), ", ".join(values.get("objects", []))))
        else:
            before, after = (list(values) + ["", ""])[:2]
            rows.append((field, before, after))
    return rows


# django-q2's "Resubmit selected tasks" runs work again: only for those who may change tasks,
# and recorded like every other staff action.
@admin.action(description="Resubmit selected tasks to queue", permissions=["change"])
def resubmit_tasks(model_admin, request, queryset) -> None:
    tasks = list(queryset)
    q_admin.resubmit_task(
        model_admin, request, queryset.model.objects.filter(pk__in=[t.pk for t in tasks])
    )
    actor = Actor.from_request(request, via="admin")
    for task in tasks:
        record(
            actor=actor,
            event="task.resubmit",
            target=queryset.model,
            asked={"func": task.func, "group": task.group or ""},
            description=task.name,
        )


class ResubmitOnlyWithChange:
    actions = [resubmit_tasks]


for model, base in ((Success, q_admin.TaskAdmin), (Failure, q_admin.FailAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (ResubmitOnlyWithChange, base), {}))


# django-axes offers "clean up expired attempts" to anyone who sees the list; it deletes rows.
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts", permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AccessAttemptAdmin)


@admin.register(BulkRun)
class BulkRunAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Every kind's runs in one list; each opens its progress page."""

    list_display = ("title", "kind", "created_by", "created_at", "finished_at", "progress_link")
    list_filter = ("kind", ("finished_at", admin.EmptyFieldListFilter))
    list_select_related = ("created_by",)
    search_fields = ("title",)
    date_hierarchy = "created_at"
    fields = ("title", "kind", "options", "created_by", "created_at", "finished_at", "parent")
    readonly_fields = fields

    def get_queryset(self, request):
        status = "items__status"
        Status = BulkItem.Status
        return (
            super()
            .get_queryset(request)
            .annotate(
                total=Count("items"),
                done=Count("items", filter=Q(**{status: Status.DONE})),
                failed=Count("items", filter=Q(**{status: Status.FAILED})),
            )
        )

    @admin.display(description="progress")
    def progress_link(self, run: BulkRun) -> str:
        # get_queryset annotates the counts: no query per row.
        return format_html(
            '<a href="{}">{} done, {} failed of {}</a>',
            reverse("runs:progress", args=[run.pk]),
            run.done,
            run.failed,
            run.total,
        )
