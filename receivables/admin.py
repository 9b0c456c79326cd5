"""Receivables in the admin: read-only mirrors of what Maventa holds (changes go through the
portal's actions, which call Maventa first)."""

from __future__ import annotations

from django.contrib import admin

from maventa_portal.core.admin_mixins import RecordAdminMixin

from .models import (
    Assignment,
    AssignmentEvent,
    Message,
    MessageThread,
    ReceivablesActivation,
    ServiceLevel,
)


@admin.register(ReceivablesActivation)
class ReceivablesActivationAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("company", "status", "api_version", "accountable_party", "updated_at")
    list_filter = ("status", "api_version")
    list_select_related = ("company",)
    search_fields = ("company__name", "company__bid", "iban")
    exclude = ("raw",)


class AssignmentEventInline(RecordAdminMixin, admin.TabularInline):
    model = AssignmentEvent
    extra = 0
    fields = ("happened_at", "type", "amount", "message", "due_date", "seen")
    readonly_fields = fields


@admin.register(Assignment)
class AssignmentAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = (
        "maventa_id",
        "company",
        "debtor_name",
        "status",
        "amount",
        "open_amount",
        "due_date",
    )
    list_filter = ("status",)
    list_select_related = ("company",)
    search_fields = ("maventa_id", "invoice_id", "debtor_name", "debtor_bid", "company__name")
    exclude = ("raw",)
    inlines = [AssignmentEventInline]


@admin.register(AssignmentEvent)
class AssignmentEventAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("maventa_id", "assignment", "type", "amount", "happened_at", "seen")
    list_filter = ("type", "seen")
    list_select_related = ("assignment",)
    search_fields = ("maventa_id", "assignment__maventa_id", "message")
    exclude = ("raw",)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("customer_bid", "company", "level", "updated_at")
    list_filter = ("level",)
    list_select_related = ("company",)
    search_fields = ("customer_bid", "company__name", "company__bid")


class MessageInline(RecordAdminMixin, admin.TabularInline):
    model = Message
    extra = 0
    fields = ("sent_at", "author_kind", "author_name", "body", "seen_at", "replied_by")
    readonly_fields = fields


@admin.register(MessageThread)
class MessageThreadAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "company", "unread_count", "flagged", "last_message_at")
    list_filter = ("flagged",)
    list_select_related = ("company",)
    search_fields = ("maventa_id", "subject", "company__name", "assignment__maventa_id")
    exclude = ("raw",)
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("maventa_id", "thread", "author_kind", "author_name", "sent_at", "seen_at")
    list_filter = ("author_kind",)
    list_select_related = ("thread",)
    search_fields = ("maventa_id", "body", "author_name", "thread__subject")
    exclude = ("raw",)
