from __future__ import annotations

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from maventa_portal.core.admin_mixins import RecordAdminMixin
from maventa_portal.core.audit import Actor
from maventa_portal.core.permissions import check

from .forms import ProfileRegistrationForm
from .models import (
    BulkRegistration,
    BulkRegistrationItem,
    Company,
    NetworkProfile,
    UnsavedCompany,
    VendorKey,
)
from .profile_rules import expected_scheme
from .services.bulk import start_bulk_registration

SELECTION_SESSION_KEY = "companies.bulk_selection"
REGISTER_PROFILES = "companies.register_profiles"


class NetworkProfileInline(admin.TabularInline):
    model = NetworkProfile
    extra = 0
    can_delete = False
    fields = (
        "network",
        "profiles",
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
            'set {} &middot; <a href="{}">replace</a>', credential.set_at.strftime("%Y-%m-%d"), url
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
        form = ProfileRegistrationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            run = start_bulk_registration(
                company_ids=selected.values_list("pk", flat=True),
                actor=Actor.from_request(request, via="admin"),
                **form.cleaned_data,
            )
            request.session.pop(SELECTION_SESSION_KEY, None)
            self.message_user(
                request,
                f"Registering {run.network} profiles for {len(ids)} companies; "
                "this page shows the progress.",
                messages.SUCCESS,
            )
            return redirect("companies:bulk_progress", pk=run.pk)
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


@admin.register(NetworkProfile)
class NetworkProfileAdmin(admin.ModelAdmin):
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
    readonly_fields = [f.name for f in NetworkProfile._meta.fields]

    @admin.display(description="profiles")
    def profile_names(self, obj: NetworkProfile) -> str:
        return ", ".join(obj.profiles)

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


@admin.register(BulkRegistration)
class BulkRegistrationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_by", "created_at", "finished_at", "progress_link")
    list_select_related = ("created_by",)
    readonly_fields = [f.name for f in BulkRegistration._meta.fields] + ["progress_link"]

    def get_queryset(self, request):
        status = "items__status"
        return (
            super()
            .get_queryset(request)
            .annotate(
                total=Count("items"),
                done=Count("items", filter=Q(**{status: BulkRegistrationItem.Status.DONE})),
                failed=Count("items", filter=Q(**{status: BulkRegistrationItem.Status.FAILED})),
            )
        )

    @admin.display(description="progress")
    def progress_link(self, obj: BulkRegistration) -> str:
        # get_queryset annotates the counts (list and change page alike): no query per row.
        return format_html(
            '<a href="{}">{} done, {} failed of {}</a>',
            reverse("companies:bulk_progress", args=[obj.pk]),
            obj.done,
            obj.failed,
            obj.total,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
