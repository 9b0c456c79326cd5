"""Invoices and documents in the admin: read-only mirrors of Maventa, drafts sent in bulk."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from maventa_portal.core.admin_mixins import RecordAdminMixin
from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.runs import start_run
from maventa_portal.core.errors import STAFF_ERRORS, staff_message_of

from . import webhook_admin  # noqa: F401 - registers the webhook models' admins
from .models import (
    Attachment,
    DetectResult,
    Document,
    FraudReport,
    Invoice,
    InvoiceAction,
    PrintAccount,
    PrintBatch,
)

SEND_KIND = "exchange.send_invoices"


class InvoiceActionInline(RecordAdminMixin, admin.TabularInline):
    model = InvoiceAction
    extra = 0
    fields = ("happened_at", "type", "channel", "message", "source")
    readonly_fields = fields


class AttachmentInline(RecordAdminMixin, admin.TabularInline):
    model = Attachment
    fk_name = "invoice"
    extra = 0
    fields = ("filename", "mimetype", "size", "checksum")
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "company",
        "direction",
        "status",
        "counterparty",
        "sum_tax",
        "currency",
        "created_at",
        "page_link",
    )
    # A period filter instead of date_hierarchy, and no filter of distinct source formats: both
    # of those read every invoice (a DISTINCT over the table) on each page view.
    list_filter = ("direction", "status", "created_at")
    list_select_related = ("company",)
    # Prefix searches on the ids can use their indexes; names are searched as before.
    search_fields = ("^number", "^reference", "company__name", "sender_name", "recipient_name")
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False
    inlines = [InvoiceActionInline, AttachmentInline]
    actions = ["send_drafts"]
    exclude = ("summary", "raw", "send_options")

    def get_readonly_fields(self, request, obj=None):
        # Everything is Maventa's or the send's record: nothing is edited by hand here.
        return [f.name for f in Invoice._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_send_invoice_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("exchange.send_invoice")

    @admin.display(description="counterparty")
    def counterparty(self, invoice: Invoice) -> str:
        return invoice.recipient_name if invoice.direction == "SENT" else invoice.sender_name

    @admin.display(description="page")
    def page_link(self, invoice: Invoice) -> str:
        return format_html('<a href="{}">Open</a>', reverse("exchange:detail", args=[invoice.pk]))

    @admin.action(description="Send the selected drafts (a bulk run)", permissions=["send_invoice"])
    def send_drafts(self, request: HttpRequest, queryset):
        drafts = list(queryset.filter(status=Invoice.Status.DRAFT).select_related("company"))
        if not drafts:
            self.message_user(request, "Select drafts: invoices not sent yet.", messages.WARNING)
            return None
        from maventa_portal.core.bulk.runs import ItemSpec

        try:
            run = start_run(
                kind=SEND_KIND,
                options={"resend": False},
                items=[
                    ItemSpec(object_id=d.pk, label=f"{d.company.name}: {d.number or d.pk}")
                    for d in drafts
                ],
                actor=Actor.from_request(request, via="admin"),
            )
        except STAFF_ERRORS as exc:
            self.message_user(request, staff_message_of(exc), messages.ERROR)
            return None
        return redirect("runs:progress", pk=run.pk)


@admin.register(Document)
class DocumentAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("number", "type", "company", "direction", "status", "created_at")
    list_filter = ("direction", "type", "status")
    list_select_related = ("company",)
    search_fields = ("^number", "^reference", "company__name", "=transmission_id")
    date_hierarchy = "created_at"
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False
    exclude = ("raw", "last_event")


@admin.register(FraudReport)
class FraudReportAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("invoice", "outcome", "reported_by", "reported_at")
    list_select_related = ("invoice", "reported_by")


@admin.register(DetectResult)
class DetectResultAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("invoice", "check_name", "status", "result", "reason_code", "checked_at")
    list_filter = ("check_name", "result")
    list_select_related = ("invoice",)


@admin.register(PrintAccount)
class PrintAccountAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("company", "scheme", "username", "state", "registered_at", "registered_by")
    list_filter = ("scheme", "state")
    list_select_related = ("company", "registered_by")
    search_fields = ("company__name", "company__bid", "username")
    # The secret is never shown, not even encrypted: only whether one is kept.
    fields = (
        "company",
        "scheme",
        "username",
        "secret_hint",
        "state",
        "maventa_text",
        "registered_at",
        "registered_by",
    )
    readonly_fields = fields

    @admin.display(description="secret")
    def secret_hint(self, account: PrintAccount) -> str:
        return account.secret_hint


@admin.register(PrintBatch)
class PrintBatchAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("filename", "company", "status", "final", "letters", "sent_at", "page_link")
    list_filter = ("status", "final", "document_type", "letter_class")
    list_select_related = ("company",)
    search_fields = ("^filename", "=checksum", "company__name", "company__bid")
    date_hierarchy = "created_at"
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False

    # The stored zip holds personal data and no URL serves it: not shown, not linked.
    exclude = ("package",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PrintBatch._meta.fields if f.name != "package"]

    @admin.display(description="page")
    def page_link(self, batch: PrintBatch) -> str:
        return format_html(
            '<a href="{}">Open</a>', reverse("exchange:print_detail", args=[batch.pk])
        )
