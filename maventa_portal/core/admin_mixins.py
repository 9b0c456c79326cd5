"""Admin building blocks shared by every app."""

from __future__ import annotations


class RecordAdminMixin:
    """For records nobody edits by hand (the audit trail, what recovery kept): view only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
