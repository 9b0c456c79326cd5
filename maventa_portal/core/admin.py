"""The audit trail in the admin: read-only for everyone, superusers included."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .models import AuditEntry

# django-auditlog registers its own admin for the entry model; ours replaces it.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    date_hierarchy = "timestamp"
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _rows(changes: dict) -> list[tuple[str, str, str]]:
    rows = []
    for field, values in changes.items():
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects"}
            rows.append((field, values.get("operation", ""), ", ".join(values.get("objects", []))))
        else:
            before, after = (list(values) + ["", ""])[:2]
            rows.append((field, before, after))
    return rows
