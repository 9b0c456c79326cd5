"""Staff pages for companies: onboarding, and the company page with KYC and profiles.

Every view states its methods and the permission it needs before it does anything; errors
of services reach staff through ``core.errors.staff_errors``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_safe

from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from . import selectors, services
from .forms import (
    CompanyCreateForm,
    CompanyLinkForm,
    CsvImportForm,
    ProfileRegistrationForm,
    ReplaceKeyForm,
    VerificationRequestForm,
)
from .listing import company_list as company_listing
from .models import Company, UnsavedCompany
from .profile_rules import expected_scheme

VIEW = "companies.view_company"
ADD = "companies.add_company"
CHANGE = "companies.change_company"
REGISTER = "companies.register_profiles"
CREDENTIALS = "companies.manage_credentials"
VERIFY = "companies.request_verification"


@require_safe
@permission_required(VIEW)
def company_list(request: HttpRequest) -> HttpResponse:
    return render_staff_page(
        request,
        "companies/company_list.html",
        {
            "listing": company_listing(request.GET, perms=request.user.has_perm),
            "unsaved": selectors.unsaved_companies(),
        },
        title="Companies",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(ADD)
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with staff_errors(form) as outcome:
            company = services.create_company(
                **form.cleaned_data, actor=Actor.from_request(request)
            )
        if outcome.ok:
            messages.success(request, f"{company.name} was created on Maventa.")
            return redirect("companies:detail", pk=company.pk)
    return render_staff_page(
        request, "companies/company_form.html", {"form": form}, title="Create a company on Maventa"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(ADD)
def company_link(request: HttpRequest) -> HttpResponse:
    form = CompanyLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with staff_errors(form) as outcome:
            company = services.link_company(
                maventa_id=str(form.cleaned_data["maventa_id"]),
                api_key=form.cleaned_data["api_key"],
                vendor_key=form.cleaned_data["vendor_key"],
                actor=Actor.from_request(request),
            )
        if outcome.ok:
            messages.success(request, f"{company.name} is linked.")
            return redirect("companies:detail", pk=company.pk)
    return render_staff_page(
        request, "companies/company_form.html", {"form": form}, title="Link an existing company"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(ADD)
def company_import(request: HttpRequest) -> HttpResponse:
    form = CsvImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with staff_errors(form) as outcome:
            run = services.import_companies_csv(
                data=upload.read(),
                file_name=upload.name,
                actor=Actor.from_request(request),
                request_key=form.cleaned_data["request_key"],
            )
        if outcome.ok:
            messages.success(
                request, f"Importing {run.items.count()} rows; this page follows them."
            )
            return redirect("runs:progress", pk=run.pk)
    return render_staff_page(
        request, "companies/company_import.html", {"form": form}, title="Import companies from CSV"
    )


@post_only("companies:list", with_kwargs=False)
@permission_required(ADD)
def unsaved_save(request: HttpRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(UnsavedCompany, pk=pk, resolved_at=None)
    with staff_errors(request) as outcome:
        company = services.save_unsaved(pending=pending, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, f"{company.name} is saved and linked.")
        return redirect("companies:detail", pk=company.pk)
    return redirect("companies:list")


@require_safe
@permission_required(VIEW)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_for_staff(), pk=pk)
    return _render_detail(request, company, ProfileRegistrationForm(country=company.country))


def _render_detail(request, company: Company, form, *, offer: str = "", status: int = 200):
    return render_staff_page(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "kyc": selectors.kyc_guidance(company),
            "profiles": company.profiles.all(),
            "history": selectors.company_history(company),
            "form": form,
            "key_form": ReplaceKeyForm(),
            "verification_form": VerificationRequestForm(
                country=company.country, initial={"auth_email": company.email}
            ),
            "offer": offer,
            "peppol_scheme": expected_scheme(company.country),
            "visma_scheme": expected_scheme(company.country, "VISMA"),
        },
        title=company.name,
        status=status,
    )


@post_only("companies:detail")
@permission_required(REGISTER)
def company_register(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_for_staff(), pk=pk)
    form = ProfileRegistrationForm(request.POST, country=company.country)
    if not form.is_valid():
        return _render_detail(request, company, form, status=400)
    with staff_errors(form) as outcome:
        result = services.register_profiles(
            company=company, **form.cleaned_data, actor=Actor.from_request(request)
        )
    if not outcome.ok:
        offer = getattr(outcome.error, "offer", "")
        return _render_detail(request, company, form, offer=offer, status=400)
    level = messages.SUCCESS if result.changed else messages.INFO
    messages.add_message(request, level, result.summary)
    return redirect("companies:detail", pk=company.pk)


@post_only("companies:detail")
@permission_required(CREDENTIALS)
def company_replace_key(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    form = ReplaceKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the new API key.")
        return redirect("companies:detail", pk=company.pk)
    with staff_errors(request) as outcome:
        services.replace_api_key(
            company=company, api_key=form.cleaned_data["api_key"], actor=Actor.from_request(request)
        )
    if outcome.ok:
        messages.success(request, "The API key was replaced.")
    return redirect("companies:detail", pk=company.pk)


@post_only("companies:detail")
@permission_required(VERIFY)
def company_request_verification(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_for_staff(), pk=pk)
    form = VerificationRequestForm(request.POST, country=company.country)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("companies:detail", pk=company.pk)
    with staff_errors(request) as outcome:
        services.request_verification(
            company=company, **form.cleaned_data, actor=Actor.from_request(request)
        )
    if outcome.ok:
        messages.success(
            request,
            f"Maventa is sending the verification request to {form.cleaned_data['auth_email']}.",
        )
    return redirect("companies:detail", pk=company.pk)


@post_only("companies:detail")
@permission_required(CHANGE)
def company_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    with staff_errors(request) as outcome:
        services.refresh_company(company=company, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, "State and profiles refreshed from Maventa.")
    return redirect("companies:detail", pk=company.pk)
