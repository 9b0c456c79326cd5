"""A company's receivables: its state (the collection account and notice texts to copy onto
invoices, or the newer onboarding's activation link to pass on), the form that switches the
service on, or off, the own-invoice-image setting, and a refresh from Maventa."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from companies.models import Company
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import check, permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .forms import ActivationForm, OwnInvoiceImageForm
from .models import ReceivablesActivation
from .services import activation

VIEW = "receivables.view_receivablesactivation"
MANAGE = "receivables.manage_receivables"


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(VIEW)
def company_receivables(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.select_related("credential"), pk=company_pk)
    state = ReceivablesActivation.objects.filter(company=company).first()
    form = ActivationForm(request.POST or None)
    if request.method == "POST":
        check(request, MANAGE)  # reading needs VIEW; switching on needs more
        if form.is_valid():
            with staff_errors(form) as outcome:
                state = activation.activate(
                    company=company,
                    fields=form.payload(),
                    actor=Actor.from_request(request),
                    api_version=form.version(),
                )
            if outcome.ok:
                messages.success(request, f"Receivables for {company.name}: {state.status}.")
                return redirect("receivables:activation", company_pk=company.pk)
    initial = {"own_invoice_image": "true" if state and state.own_invoice_image else "false"}
    context = {
        "company": company,
        "state": state,
        "form": form,
        "image_form": OwnInvoiceImageForm(initial=initial),
    }
    return render_staff_page(
        request, "receivables/activation.html", context, title=f"Receivables of {company.name}"
    )


@post_only("receivables:activation")
@permission_required(MANAGE)
def company_receivables_image(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.select_related("credential"), pk=company_pk)
    form = OwnInvoiceImageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whose invoice image and payment details to use.")
        return redirect("receivables:activation", company_pk=company.pk)
    with staff_errors(request) as outcome:
        state = activation.set_own_invoice_image(
            company=company,
            own_invoice_image=form.cleaned_data["own_invoice_image"],
            actor=Actor.from_request(request),
        )
    if outcome.ok:
        whose = "the company's own" if state.own_invoice_image else "Visma Financial Solutions'"
        messages.success(request, f"Invoices of {company.name} carry {whose} image and details.")
    return redirect("receivables:activation", company_pk=company.pk)


@post_only("receivables:activation")
@permission_required(MANAGE)
def company_receivables_refresh(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.select_related("credential"), pk=company_pk)
    with staff_errors(request) as outcome:
        state = activation.refresh(company=company)
    if outcome.ok:
        messages.success(request, f"Receivables of {company.name} read again: {state.status}.")
    return redirect("receivables:activation", company_pk=company.pk)


@post_only("receivables:activation")
@permission_required(MANAGE)
def company_receivables_disable(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.select_related("credential"), pk=company_pk)
    with staff_errors(request) as outcome:
        activation.deactivate(company=company, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, f"Receivables of {company.name} are switched off.")
    return redirect("receivables:activation", company_pk=company.pk)
