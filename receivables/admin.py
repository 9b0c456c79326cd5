"""Receivables in the admin: read-only mirrors of what Maventa holds (changes go through the
portal's actions, which call Maventa first)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from maventa_portal.core.admin_mixins import RecordAdminMixin
from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.forms import RequestKeyForm
from maventa_portal.core.errors import staff_errors

from .models import (
    Assignment,
    AssignmentEvent,
    CreditWithdrawal,
    Message,
    MessageThread,
    ReceivablesActivation,
    ServiceLevel,
)
from .services import service_levels


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
    search_fields = ("=maventa_id", "=invoice_id", "debtor_name", "^debtor_bid", "company__name")
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
    actions = ["set_levels"]

    def has_set_service_level_permission(self, request) -> bool:
        return request.user.has_perm("receivables.set_service_level")

    @admin.action(
        description="Set the service level... (a bulk run)", permissions=["set_service_level"]
    )
    def set_levels(self, request, queryset):
        form = LevelForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            with staff_errors(form) as outcome:
                run = service_levels.start_levels_run(
                    rows=queryset.select_related("company"),
                    level=form.cleaned_data["level"],
                    actor=Actor.from_request(request, via="admin"),
                    request_key=form.cleaned_data["request_key"],
                )
            if outcome.ok:
                return redirect("runs:progress", pk=run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Set the service level",
            "opts": self.model._meta,
            "form": form,
            "rows": queryset.select_related("company")[:50],
            "count": queryset.count(),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/receivables/servicelevel/set_levels.html", context)


class LevelForm(RequestKeyForm):
    level = forms.ChoiceField(choices=ServiceLevel.Level.choices)


class MessageInline(RecordAdminMixin, admin.TabularInline):
    model = Message
    extra = 0
    fields = ("sent_at", "author_kind", "author_name", "body", "seen_at", "replied_by")
    readonly_fields = fields


class UnreadFilter(admin.SimpleListFilter):
    """Threads with messages from Amili that nobody has opened yet, or none."""

    title = "unread"
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("yes", "With unread messages"), ("no", "All read")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(unread_count__gt=0)
        if self.value() == "no":
            return queryset.filter(unread_count=0)
        return queryset


@admin.register(MessageThread)
class MessageThreadAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "company", "unread", "flagged", "last_message_at")
    list_filter = (UnreadFilter, "flagged")
    list_select_related = ("company",)
    search_fields = ("=maventa_id", "subject", "company__name", "=assignment__maventa_id")
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False
    # As in the inbox: unread first, then flagged, then the newest.
    ordering = ("-unread_count", "-flagged", "-last_message_at", "-pk")
    exclude = ("raw",)
    inlines = [MessageInline]

    # The count is stored on the thread (kept by sync and mark-seen), so the list costs no
    # query per row.
    @admin.display(description="Unread", ordering="unread_count")
    def unread(self, thread: MessageThread) -> int:
        return thread.unread_count


@admin.register(Message)
class MessageAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("maventa_id", "thread", "author_kind", "author_name", "sent_at", "seen_at")
    list_filter = ("author_kind",)
    list_select_related = ("thread",)
    search_fields = ("=maventa_id", "body", "author_name", "thread__subject")
    date_hierarchy = "sent_at"
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False
    exclude = ("raw",)


@admin.register(CreditWithdrawal)
class CreditWithdrawalAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("company", "amount", "state", "requested_by", "requested_at")
    list_filter = ("state",)
    list_select_related = ("company", "requested_by")
    search_fields = ("company__name", "company__bid", "request_key")
