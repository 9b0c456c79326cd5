"""A company's OP Laskulaina (invoice credit): its state, onboarding and terms, withdrawals with
a confirmation step, direct payments, and the day's account statement to download."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from companies.models import Company
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .credit_forms import (
    CreditActivationForm,
    DirectPaymentForm,
    StatementForm,
    TermsForm,
    WithdrawalConfirmForm,
    WithdrawalForm,
)
from .models import CreditWithdrawal
from .services import credit

VIEW = "receivables.view_creditwithdrawal"
MANAGE = "receivables.manage_invoice_credit"
WITHDRAW = "receivables.withdraw_credit"
PAGE = "receivables:credit"
OVER_AVAILABLE = "More than the available credit ({available:.2f} EUR)."
BAD_DAY = "Give the day of the statement as a date."
SENT_ALREADY = "This withdrawal was sent already ({state}); nothing was sent again."


def _company(company_pk: int) -> Company:
    return get_object_or_404(Company.objects.select_related("credential"), pk=company_pk)


def _page(request: HttpRequest, company: Company, **forms) -> HttpResponse:
    state = None
    with staff_errors(request):
        state = credit.read_credit_state(company=company)
    offer = state.settings.offer if state else None
    terms_initial = {}
    if offer is not None:
        terms_initial = {
            "b2c_enabled": offer.b2c_enabled,
            "payment_percent": offer.payment_percent,
            "interest_rate": offer.interest_rate,
            "credit_limit": Decimal(str(offer.credit_limit)).quantize(Decimal("0.01")),
        }
    service = state.service if state else None
    activation_initial = (
        {name: getattr(service, name) for name in ("contact_email", "iban", "bic", "bank")}
        if service is not None and service.enabled
        else {}
    )
    context = {
        "company": company,
        "state": state,
        "activation_form": forms.get("activation_form")
        or CreditActivationForm(initial=activation_initial),
        "terms_form": forms.get("terms_form") or TermsForm(initial=terms_initial),
        "withdrawal_form": forms.get("withdrawal_form") or WithdrawalForm(),
        "direct_payment_form": forms.get("direct_payment_form") or DirectPaymentForm(),
        "statement_form": StatementForm(),
        "withdrawals": CreditWithdrawal.objects.filter(company=company).select_related(
            "requested_by"
        )[:20],
    }
    return render_staff_page(
        request, "receivables/credit.html", context, title=f"Invoice credit of {company.name}"
    )


@require_safe
@permission_required(VIEW)
def company_credit(request: HttpRequest, company_pk: int) -> HttpResponse:
    return _page(request, _company(company_pk))


@post_only(PAGE)
@permission_required(MANAGE)
def credit_activate(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company(company_pk)
    form = CreditActivationForm(request.POST)
    if form.is_valid():
        with staff_errors(form) as outcome:
            service = credit.activate(
                company=company, fields=form.cleaned_data, actor=Actor.from_request(request)
            )
        if outcome.ok:
            messages.success(request, f"OP Laskulaina for {company.name}: {service.status}.")
            return redirect(PAGE, company_pk=company.pk)
    return _page(request, company, activation_form=form)


@post_only(PAGE)
@permission_required(MANAGE)
def credit_terms(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company(company_pk)
    form = TermsForm(request.POST)
    if form.is_valid():
        with staff_errors(form) as outcome:
            credit.accept_terms(
                company=company, terms=form.terms(), actor=Actor.from_request(request)
            )
        if outcome.ok:
            messages.success(request, "The terms are accepted.")
            return redirect(PAGE, company_pk=company.pk)
    return _page(request, company, terms_form=form)


@post_only(PAGE)
@permission_required(WITHDRAW)
def credit_withdraw(request: HttpRequest, company_pk: int) -> HttpResponse:
    """The confirmation page: the amount beside the credit available now. Changes nothing."""
    company = _company(company_pk)
    form = WithdrawalForm(request.POST)
    if not form.is_valid():
        return _page(request, company, withdrawal_form=form)
    amount = form.cleaned_data["amount"]
    with staff_errors(form) as outcome:
        balance = credit.read_available_credit(company=company)
    if not outcome.ok:
        return _page(request, company, withdrawal_form=form)
    available = Decimal(str(balance.available_credit_amount)).quantize(Decimal("0.01"))
    if amount > available:
        form.add_error("amount", OVER_AVAILABLE.format(available=available))
        return _page(request, company, withdrawal_form=form)
    confirm = WithdrawalConfirmForm(initial={"amount": amount, "available": available})
    return _confirm_page(request, company, confirm, amount, available)


def _confirm_page(request, company, form, amount, available) -> HttpResponse:
    return render_staff_page(
        request,
        "receivables/credit_confirm.html",
        {"company": company, "form": form, "amount": amount, "available": available},
        title=f"Confirm a withdrawal for {company.name}",
    )


@post_only(PAGE)
@permission_required(WITHDRAW)
def credit_withdraw_confirm(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company(company_pk)
    form = WithdrawalConfirmForm(request.POST)
    if not form.is_valid():
        data = form.cleaned_data
        return _confirm_page(request, company, form, data.get("amount"), data.get("available"))
    data = form.cleaned_data
    with staff_errors(request) as outcome:
        row, sent = credit.withdraw(
            company=company,
            amount=data["amount"],
            request_key=data["request_key"],
            available_then=data.get("available"),
            actor=Actor.from_request(request),
        )
    if outcome.ok and not sent:
        messages.warning(request, SENT_ALREADY.format(state=row.get_state_display()))
    elif outcome.ok:
        messages.success(request, f"{row.amount:.2f} EUR withdrawn for {company.name}.")
    return redirect(PAGE, company_pk=company.pk)


@post_only(PAGE)
@permission_required(MANAGE)
def credit_direct_payment(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company(company_pk)
    form = DirectPaymentForm(request.POST)
    if form.is_valid():
        invoice_id = str(form.cleaned_data["invoice_id"])
        with staff_errors(form) as outcome:
            credit.pay_directly(
                company=company, invoice_id=invoice_id, actor=Actor.from_request(request)
            )
        if outcome.ok:
            messages.success(request, f"Invoice {invoice_id} is to be paid to the company.")
            return redirect(PAGE, company_pk=company.pk)
    return _page(request, company, direct_payment_form=form)


@require_safe
@permission_required(VIEW)
def credit_statement(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company(company_pk)
    form = StatementForm(request.GET)
    if not form.is_valid():
        messages.error(request, BAD_DAY)
        return redirect(PAGE, company_pk=company.pk)
    day = form.cleaned_data["day"]
    with staff_errors(request) as outcome:
        content = credit.fetch_statement(company=company, day=day)
    if not outcome.ok:
        return redirect(PAGE, company_pk=company.pk)
    response = HttpResponse(content, content_type="application/xml")
    name = f"op-laskulaina-{company.pk}-{day.isoformat()}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
