"""Staff pages of Direct Print: the batches, sending a package, a batch's page with its
history, and registering a company."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_safe

from companies.models import Company
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .print_forms import PrintRegisterForm, PrintSendForm
from .print_models import PrintAccount, PrintBatch
from .services import printing

VIEW = "exchange.view_printbatch"
SEND = "exchange.send_print"
REGISTER = "exchange.register_print"
PAGE_SIZE = 50
QUEUED = "{filename} is queued: the task worker is sending it to Maventa."
SENT_ALREADY = "This form was sent already: {filename} ({status}); nothing was sent again."
REGISTERED = "{company} is registered for Direct Print."


def _batches(request: HttpRequest):
    batches = PrintBatch.objects.select_related("company", "sent_by")
    company = request.GET.get("company", "")
    if company.isdigit():
        batches = batches.filter(company_id=int(company))
    status = request.GET.get("status", "")[:64]
    if status:
        batches = batches.filter(status=status)
    return batches.order_by("-created_at", "-pk")


@require_safe
@permission_required(VIEW)
def print_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_batches(request), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "companies": Company.objects.filter(print_batches__isnull=False).distinct(),
        "statuses": PrintBatch.objects.order_by("status")
        .values_list("status", flat=True)
        .distinct(),
    }
    return render_staff_page(request, "exchange/print_list.html", context, title="Direct Print")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(SEND)
def print_send(request: HttpRequest) -> HttpResponse:
    initial = {"company": request.GET.get("company")} if request.method != "POST" else None
    form = PrintSendForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with staff_errors(form) as outcome:
            package = printing.build_package(uploads=form.uploads(), limits=form.limits)
            batch, queued = printing.send(
                company=data["company"],
                package=package,
                options=printing.PrintOptions(
                    letter_class=data["letter_class"],
                    color_print=data["color_print"],
                    duplex=data["duplex"],
                ),
                request_key=data["request_key"],
                confirm_duplicate=data["confirm_duplicate"],
                actor=Actor.from_request(request),
            )
        if outcome.ok:
            _tell(request, batch, queued)
            return redirect("exchange:print_detail", pk=batch.pk)
    return render_staff_page(
        request,
        "exchange/print_send.html",
        {"form": form, "duplicate": bool(form.errors.get("confirm_duplicate"))},
        title="Send letters to Direct Print",
    )


def _tell(request: HttpRequest, batch: PrintBatch, queued: bool) -> None:
    said = {"filename": batch.filename, "status": batch.status_label}
    if queued:
        messages.success(request, QUEUED.format(**said))
    else:
        messages.warning(request, SENT_ALREADY.format(**said))


@require_safe
@permission_required(VIEW)
def print_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PrintBatch.objects.select_related("company", "sent_by"), pk=pk)
    return render_staff_page(
        request,
        "exchange/print_detail.html",
        {"batch": batch, "history": list(reversed(batch.history))},
        title=f"Direct Print {batch.filename}",
    )


@post_only("exchange:print_detail")
@permission_required(SEND)
def print_check(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PrintBatch.objects.select_related("company"), pk=pk)
    with staff_errors(request) as outcome:
        printing.refresh_status(batch=batch, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, f"Maventa has {batch.filename} as {batch.status_label}.")
    return redirect("exchange:print_detail", pk=batch.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(REGISTER)
def print_register(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.select_related("credential"), pk=company_pk)
    account = PrintAccount.objects.filter(company=company).first()
    initial = {"contact_email": company.email}
    if account is not None:
        initial.update(scheme=account.scheme, username=account.username)
    form = PrintRegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with staff_errors(form) as outcome:
            printing.register(
                company=company,
                scheme=data["scheme"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                username=data["username"],
                password=data["password"],
                user_api_key=data["user_api_key"],
                actor=Actor.from_request(request),
            )
        if outcome.ok:
            messages.success(request, REGISTERED.format(company=company.name))
            return redirect("companies:detail", pk=company.pk)
    return render_staff_page(
        request,
        "exchange/print_register.html",
        {"form": form, "company": company, "account": account},
        title=f"Direct Print for {company.name}",
    )
