"""Webhooks in the admin: the event log (read-only, "Reprocess"), subscriptions, reconcile runs.

Events are records of what Maventa sent: only superusers may add, change or delete them (to
clear test traffic, say); everyone else with the view permission reads them. The raw body is
shown as text, escaped, never rendered.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from maventa_portal.core.admin_mixins import RecordAdminMixin
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import STAFF_ERRORS, staff_message_of
from maventa_portal.core.permissions import check

from .models import ReconcileRun, WebhookEvent, WebhookSubscription
from .webhooks.health import webhook_health
from .webhooks.processing import reprocess_events

REPROCESS_PERMISSION = "exchange.reprocess_webhookevent"


class SuperuserOnlyWritesMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(WebhookEvent)
class WebhookEventAdmin(SuperuserOnlyWritesMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "company_shown",
        "state",
        "times_seen",
        "attempts",
        "event_timestamp",
        "received_at",
    )
    list_filter = (
        "state",
        "family",
        "name",
        ("company", admin.RelatedOnlyFieldListFilter),
        "received_at",
    )
    list_select_related = ("company",)
    search_fields = ("^name", "=maventa_company_id", "=object_id", "company__name", "=dedupe_key")
    date_hierarchy = "received_at"
    # No COUNT of the whole table on every page view: it is what slows a big changelist.
    show_full_result_count = False
    actions = ["reprocess"]
    exclude = ("body", "headers", "payload")
    readonly_fields = (
        "name",
        "family",
        "state",
        "outcome",
        "company",
        "maventa_company_id",
        "object_id",
        "event_timestamp",
        "received_at",
        "last_seen_at",
        "times_seen",
        "attempts",
        "lease_until",
        "processed_at",
        "remote_addr",
        "dedupe_key",
        "raw_body",
        "stored_headers",
    )

    @admin.display(description="company")
    def company_shown(self, event: WebhookEvent) -> str:
        return str(event.company) if event.company else f"unknown ({event.maventa_company_id})"

    @admin.display(description="raw body")
    def raw_body(self, event: WebhookEvent) -> str:
        return format_html("<pre>{}</pre>", event.body)

    @admin.display(description="headers (secrets redacted)")
    def stored_headers(self, event: WebhookEvent) -> str:
        lines = "\n".join(f"{name}: {value}" for name, value in sorted(event.headers.items()))
        return format_html("<pre>{}</pre>", lines)

    def has_reprocess_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REPROCESS_PERMISSION)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # An action the user may not run is not offered; posting it anyway is refused outright.
        if request.method == "POST" and request.POST.get("action") == "reprocess":
            check(request, REPROCESS_PERMISSION)
        extra_context = {**(extra_context or {}), "subtitle": str(webhook_health())}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Reprocess the selected events", permissions=["reprocess"])
    def reprocess(self, request: HttpRequest, queryset) -> None:
        try:
            count = reprocess_events(
                events=list(queryset), actor=Actor.from_request(request, via="admin")
            )
        except STAFF_ERRORS as exc:
            self.message_user(request, staff_message_of(exc), messages.ERROR)
            return
        skipped = queryset.count() - count
        note = f" {skipped} left alone (invalid, unknown type or being fetched)." if skipped else ""
        self.message_user(request, f"{count} events queued for processing again.{note}")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = (
        "maventa_id",
        "destination_type",
        "company",
        "vendor_key",
        "events_shown",
        "created_at",
        "deleted_at",
    )
    list_filter = ("destination_type", ("deleted_at", admin.EmptyFieldListFilter))
    list_select_related = ("company", "vendor_key")
    search_fields = ("=maventa_id", "company__name", "company__bid")

    @admin.display(description="events")
    def events_shown(self, subscription: WebhookSubscription) -> str:
        return ", ".join(subscription.events)


@admin.register(ReconcileRun)
class ReconcileRunAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "trigger", "found", "errors_shown")
    date_hierarchy = "started_at"
    fields = ("started_at", "finished_at", "trigger", "counts", "findings_shown", "errors_shown")
    readonly_fields = fields

    @admin.display(description="missed by webhooks")
    def found(self, run: ReconcileRun) -> int:
        return len(run.findings)

    @admin.display(description="what no webhook had told")
    def findings_shown(self, run: ReconcileRun) -> str:
        if not run.findings:
            return "Nothing: every change had been told by a webhook."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {}: {} ({})</li>",
                (
                    (f.get("kind"), f.get("object"), f.get("change"), f.get("webhook"))
                    for f in run.findings
                ),
            ),
        )

    @admin.display(description="failed steps")
    def errors_shown(self, run: ReconcileRun) -> str:
        return "; ".join(run.errors) or "–"
