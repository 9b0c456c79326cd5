"""Staff pages for companies: onboarding, the company page with KYC and profiles, bulk progress."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from maventa_portal.core.shortcuts import render_staff_page
from maventa_portal.maventa_api import MaventaError

from . import selectors, services
from .access import CompanyNotReady
from .forms import (
    CompanyCreateForm,
    CompanyLinkForm,
    CsvImportForm,
    ProfileRegistrationForm,
    ReplaceKeyForm,
    VerificationRequestForm,
)
from .models import BulkRegistration, Company
from .profile_rules import PEPPOL_SCHEMES, RegistrationRefused, expected_scheme
from .services.bulk import progress, retry_failed

log = logging.getLogger(__name__)


def _form_error(form, exc: ValidationError | MaventaError | CompanyNotReady) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    elif isinstance(exc, MaventaError):
        log.warning("Maventa call from a staff form failed: %s", exc)
        form.add_error(None, exc.staff_message)
    else:
        form.add_error(None, exc.message)


def company_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render_staff_page(
        request,
        "companies/company_list.html",
        {"companies": selectors.companies_for_staff(query=query), "query": query},
        title="Companies",
    )


def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.create_company(**form.cleaned_data, user=request.user)
        except (ValidationError, MaventaError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{company.name} was created on Maventa.")
            return redirect("companies:detail", pk=company.pk)
    return render_staff_page(
        request, "companies/company_form.html", {"form": form}, title="Create a company on Maventa"
    )


def company_link(request: HttpRequest) -> HttpResponse:
    form = CompanyLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.link_company(
                maventa_id=str(form.cleaned_data["maventa_id"]),
                api_key=form.cleaned_data["api_key"],
                vendor_key=form.cleaned_data["vendor_key"],
                user=request.user,
            )
        except (ValidationError, MaventaError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{company.name} is linked.")
            return redirect("companies:detail", pk=company.pk)
    return render_staff_page(
        request, "companies/company_form.html", {"form": form}, title="Link an existing company"
    )


def company_import(request: HttpRequest) -> HttpResponse:
    form = CsvImportForm(request.POST or None, request.FILES or None)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            results = services.import_companies_csv(
                data=form.cleaned_data["file"].read(), user=request.user
            )
        except ValidationError as exc:
            _form_error(form, exc)
    return render_staff_page(
        request,
        "companies/company_import.html",
        {"form": form, "results": results},
        title="Import companies from CSV",
    )


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


@require_POST
def company_register(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_for_staff(), pk=pk)
    form = ProfileRegistrationForm(request.POST, country=company.country)
    if not form.is_valid():
        return _render_detail(request, company, form, status=400)
    try:
        result = services.register_profiles(company=company, **form.cleaned_data)
    except RegistrationRefused as exc:
        form.add_error(None, exc.message)
        return _render_detail(request, company, form, offer=exc.offer, status=400)
    except (MaventaError, CompanyNotReady) as exc:
        _form_error(form, exc)
        return _render_detail(request, company, form, status=400)
    level = messages.SUCCESS if result.changed else messages.INFO
    messages.add_message(request, level, result.summary)
    return redirect("companies:detail", pk=company.pk)


@require_POST
def company_replace_key(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    form = ReplaceKeyForm(request.POST)
    if form.is_valid():
        try:
            services.replace_api_key(
                company=company, api_key=form.cleaned_data["api_key"], user=request.user
            )
        except (ValidationError, MaventaError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [exc.staff_message])))
        else:
            messages.success(request, "The API key was replaced.")
    else:
        messages.error(request, "Enter the new API key.")
    return redirect("companies:detail", pk=company.pk)


@require_POST
def company_request_verification(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_for_staff(), pk=pk)
    form = VerificationRequestForm(request.POST, country=company.country)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("companies:detail", pk=company.pk)
    try:
        services.request_verification(company=company, **form.cleaned_data)
    except (MaventaError, CompanyNotReady) as exc:
        messages.error(request, getattr(exc, "staff_message", None) or exc.message)
    else:
        messages.success(
            request,
            f"Maventa is sending the verification request to {form.cleaned_data['auth_email']}.",
        )
    return redirect("companies:detail", pk=company.pk)


@require_POST
def company_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    try:
        services.refresh_company_state(company=company)
        for profile in company.profiles.exclude(maventa_id=None):
            services.refresh_profile(profile=profile)
    except (MaventaError, CompanyNotReady) as exc:
        messages.error(request, getattr(exc, "staff_message", None) or exc.message)
    else:
        messages.success(request, "State and profiles refreshed from Maventa.")
    return redirect("companies:detail", pk=company.pk)


def bulk_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(BulkRegistration, pk=pk)
    return render_staff_page(
        request,
        "companies/bulk_progress.html",
        {
            "run": run,
            "counts": progress(run),
            "items": selectors.bulk_items(run),
            "progress_url": reverse("companies:bulk_progress_json", args=[run.pk]),
            "schemes": PEPPOL_SCHEMES,
        },
        title=f"Registering {run.network} profiles",
    )


def bulk_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(BulkRegistration, pk=pk)
    items = [
        {
            "company": item.company.name,
            "bid": item.company.bid,
            "status": item.status,
            "status_label": item.get_status_display(),
            "message": item.message,
        }
        for item in selectors.bulk_items(run)
    ]
    return JsonResponse(
        {"counts": progress(run), "finished": run.finished_at is not None, "items": items}
    )


@require_POST
def bulk_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(BulkRegistration, pk=pk)
    count = retry_failed(run=run)
    messages.info(request, f"Retrying {count} failed companies.")
    return redirect("companies:bulk_progress", pk=run.pk)
