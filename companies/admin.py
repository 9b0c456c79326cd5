from __future__ import annotations

import json
from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from maventa_portal.core.admin_mixins import RecordAdminMixin
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.permissions import check
from maventa_portal.core.registry import local_app_modules

from .bulk_kinds import start_registration_run
from .forms import BulkProfileRegistrationForm
from .models import (
    Company,
    NetworkProfile,
    UnsavedCompany,
    VendorKey,
)
from .profile_rules import expected_scheme

SELECTION_SESSION_KEY = "companies.bulk_selection"
REGISTER_PROFILES = "companies.register_profiles"


def _listed(values) -> str:
    """A JSON list as staff read it: “INVOICE_AND_CREDIT_NOTE, ORDER”, or a dash when empty."""
    if not values:
        return "–"
    if isinstance(values, (list, tuple)):
        return ", ".join(str(value) for value in values)
    return str(values)


class ProfileTextMixin:
    """Profiles and extensions as text, never the raw JSON list Django shows for a JSONField."""

    @admin.display(description="profiles")
    def profile_names(self, obj: NetworkProfile) -> str:
        return _listed(obj.profiles)

    @admin.display(description="extensions")
    def extension_names(self, obj: NetworkProfile) -> str:
        return _listed(obj.extensions)


class NetworkProfileInline(ProfileTextMixin, admin.TabularInline):
    model = NetworkProfile
    extra = 0
    can_delete = False
    fields = (
        "network",
        "profile_names",
        "extension_names",
        "profile_version",
        "status",
        "endpoint_id",
        "scheme",
        "last_error",
    )
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "bid", "country", "state_badge", "live_profiles", "maventa_id")
    list_filter = ("country", "company_state", "vendor_key")
    search_fields = ("name", "bid", "maventa_id", "eia")
    list_select_related = ("vendor_key",)
    # Maventa owns these: an edit here would show staff an id or a state Maventa does not hold.
    readonly_fields = (
        "bid",
        "country",
        "vendor_key",
        "maventa_id",
        "eia",
        "company_state",
        "auth_state",
        "state_changed_at",
        "state_checked_at",
        "api_key_status",
        "staff_page",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "bid", "country", "email", "vendor_key", "staff_page")}),
        ("Address", {"fields": ("address1", "post_code", "post_office", "city")}),
        (
            "Maventa",
            {
                "fields": (
                    "maventa_id",
                    "eia",
                    "company_state",
                    "auth_state",
                    "state_changed_at",
                    "state_checked_at",
                    "api_key_status",
                )
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )
    inlines = [NetworkProfileInline]
    actions = ["register_network_profiles"]
    delete_confirmation_template = "admin/companies/company/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/companies/company/delete_selected_confirmation.html"
    )

    def has_register_profiles_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REGISTER_PROFILES)

    def get_queryset(self, request):
        live = Q(profiles__status__in=[NetworkProfile.Status.PENDING, NetworkProfile.Status.ACTIVE])
        return super().get_queryset(request).annotate(live_count=Count("profiles", filter=live))

    @admin.display(description="KYC", ordering="company_state")
    def state_badge(self, obj: Company) -> str:
        return format_html(
            '<span class="state-badge state-badge--{}">{}</span>',
            obj.company_state.lower(),
            obj.get_company_state_display(),
        )

    @admin.display(description="live profiles", ordering="live_count")
    def live_profiles(self, obj: Company) -> int:
        return obj.live_count

    @admin.display(description="API key")
    def api_key_status(self, obj: Company) -> str:
        credential = getattr(obj, "credential", None) if obj.pk else None
        if credential is None:
            return "not set"
        url = reverse("companies:detail", args=[obj.pk]) + "#replace-key"
        return format_html(
            'set {} &middot; <a href="{}">replace</a>',
            date_format(timezone.localdate(credential.set_at)),
            url,
        )

    @admin.display(description="Staff page")
    def staff_page(self, obj: Company) -> str:
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}">Open the company page</a>', reverse("companies:detail", args=[obj.pk])
        )

    def has_add_permission(self, request) -> bool:
        # New companies go through onboarding, which creates or checks them on Maventa.
        return False

    def get_urls(self):
        return [
            path(
                "register-profiles/",
                self.admin_site.admin_view(self.register_profiles_view),
                name="companies_company_register_profiles",
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        # Apps built on companies add their own (<app>/company_actions.py, ACTIONS), offered to
        # those who hold each one's permission; this app imports none of them.
        for module in local_app_modules("company_actions"):
            for action in module.ACTIONS:
                if request.user.has_perm(action.allowed_permission):
                    name = action.__name__
                    actions[name] = (action, name, action.short_description)
        return actions

    @admin.action(description="Register network profiles...", permissions=["register_profiles"])
    def register_network_profiles(self, request: HttpRequest, queryset) -> HttpResponseRedirect:
        request.session[SELECTION_SESSION_KEY] = list(queryset.values_list("pk", flat=True))
        return redirect("admin:companies_company_register_profiles")

    def register_profiles_view(self, request: HttpRequest) -> HttpResponse:
        check(request, REGISTER_PROFILES)
        ids = request.session.get(SELECTION_SESSION_KEY) or []
        selected = Company.objects.filter(pk__in=ids)
        if not ids or not selected.exists():
            self.message_user(request, "Select companies first.", messages.WARNING)
            return redirect("admin:companies_company_changelist")
        form = BulkProfileRegistrationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with staff_errors(form) as outcome:
                run = start_registration_run(
                    companies=selected.order_by("name", "pk"),
                    actor=Actor.from_request(request, via="admin"),
                    **form.cleaned_data,
                )
            if outcome.ok:
                request.session.pop(SELECTION_SESSION_KEY, None)
                self.message_user(
                    request,
                    f"{run.title} for {len(ids)} companies; this page shows the progress.",
                    messages.SUCCESS,
                )
                return redirect("runs:progress", pk=run.pk)
        countries = Counter(selected.values_list("country", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "title": "Register network profiles",
            "opts": self.model._meta,
            "form": form,
            "count": len(ids),
            "companies": selected[:20],
            "schemes": [(c, n, expected_scheme(c)) for c, n in sorted(countries.items())],
        }
        return TemplateResponse(request, "admin/companies/company/register_profiles.html", context)


# Shown through a display method instead: the field itself would render as raw JSON.
SHOWN_AS_TEXT = {"profiles": "profile_names", "extensions": "extension_names", "raw": "raw_payload"}


@admin.register(NetworkProfile)
class NetworkProfileAdmin(ProfileTextMixin, admin.ModelAdmin):
    list_display = (
        "company",
        "network",
        "profile_names",
        "profile_version",
        "status",
        "status_changed_at",
    )
    list_filter = ("network", "status")
    search_fields = ("company__name", "company__bid", "maventa_id", "endpoint_id")
    list_select_related = ("company",)
    exclude = tuple(SHOWN_AS_TEXT)
    readonly_fields = [SHOWN_AS_TEXT.get(f.name, f.name) for f in NetworkProfile._meta.fields]

    @admin.display(description="raw")
    def raw_payload(self, obj: NetworkProfile) -> str:
        # Maventa's payload as it came, indented to be read; staff compare it with Maventa's.
        return format_html(
            '<pre class="raw-payload">{}</pre>', json.dumps(obj.raw, indent=2, ensure_ascii=False)
        )

    def has_add_permission(self, request) -> bool:
        return False


class VendorKeyForm(forms.ModelForm):
    key = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Stored encrypted and never shown again. Leave empty to keep the current key.",
    )

    class Meta:
        model = VendorKey
        fields = ("name",)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("key"):
            self.add_error("key", "Enter the vendor API key.")
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("key"):
            self.instance.set_key(self.cleaned_data["key"])
        return super().save(commit)


@admin.register(VendorKey)
class VendorKeyAdmin(admin.ModelAdmin):
    form = VendorKeyForm
    list_display = ("name", "created_at")


@admin.register(UnsavedCompany)
class UnsavedCompanyAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Read-only: saving one goes through the companies page, which links it at Maventa."""

    list_display = ("name", "bid", "country", "maventa_id", "created_at", "resolved_at", "company")
    list_filter = ("country", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "bid", "maventa_id")
    fields = (
        "name",
        "bid",
        "country",
        "maventa_id",
        "details",
        "vendor_key",
        "reason",
        "created_by",
        "created_at",
        "resolved_at",
        "company",
    )
    readonly_fields = fields
