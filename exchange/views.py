"""Staff pages for invoices: the list, sending (upload, preview, send), the invoice page."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_safe

from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from . import definitions
from .forms import ConfirmSendForm, DetectForm, FraudReportForm, RerouteForm, SendInvoiceForm
from .models import Attachment, Direction, Invoice
from .services import actions, sending, status
from .services.drafts import SendOptions, Upload, earlier_sends, prepare_invoice

VIEW = "exchange.view_invoice"
SEND = "exchange.send_invoice"
REROUTE = "exchange.reroute_invoice"
REPORT = "exchange.report_fraud"
DETECT = "exchange.run_detect"
PAGE_SIZE = 50
SENT_MESSAGE = "Invoice {number} was sent: Maventa has it as {status}."
EARLIEST_SINCE, LATEST_SINCE = date(1970, 1, 1), date(9998, 12, 31)


def since_filter(request: HttpRequest) -> Q | None:
    """``?since=YYYY-MM-DD``: sent (``sent_at``) or received (``received_at``) on that local
    day or later, as the dashboard counts them; any other value is ignored."""
    try:
        day = date.fromisoformat(request.GET.get("since", "")[:10])
    except ValueError:
        return None
    if not EARLIEST_SINCE <= day <= LATEST_SINCE:  # beyond these, time zones overflow
        return None
    start = timezone.make_aware(datetime.combine(day, time.min))
    return Q(direction=Direction.SENT, sent_at__gte=start) | Q(
        direction=Direction.RECEIVED, received_at__gte=start
    )


def _invoices(request: HttpRequest):
    invoices = Invoice.objects.select_related("company").exclude(status=Invoice.Status.DRAFT)
    direction = request.GET.get("direction", "")
    if direction in Direction.values:
        invoices = invoices.filter(direction=direction)
    status = request.GET.get("status", "")
    if status in Invoice.Status.values:
        invoices = invoices.filter(status=status)
    since = since_filter(request)
    if since is not None:
        invoices = invoices.filter(since)
    company = request.GET.get("company", "")
    # The fleet view links a company's figures here; a value not a plain id is ignored.
    if company.isascii() and company.isdigit() and len(company) <= 18:
        invoices = invoices.filter(company_id=int(company))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        invoices = invoices.filter(
            Q(number__icontains=query)
            | Q(company__name__icontains=query)
            | Q(sender_name__icontains=query)
            | Q(recipient_name__icontains=query)
        )
    return invoices.order_by("-created_at", "-pk"), query


@require_safe
@permission_required(VIEW)
def invoice_list(request: HttpRequest) -> HttpResponse:
    invoices, query = _invoices(request)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_staff_page(
        request,
        "exchange/invoice_list.html",
        {
            "page": page,
            "query": query,
            "directions": Direction.choices,
            "statuses": Invoice.Status.choices,
            "drafts": Invoice.objects.filter(status=Invoice.Status.DRAFT).count(),
        },
        title="Invoices",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(SEND)
def invoice_send(request: HttpRequest) -> HttpResponse:
    form = SendInvoiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with staff_errors(form) as outcome:
            draft = prepare_invoice(
                company=data["company"],
                xml=_upload(data["xml"]),
                image=_upload(data["image"]) if data.get("image") else None,
                attachments=[_upload(f) for f in data["attachments"]],
                options=SendOptions(
                    recipient_eia=data["recipient_eia"],
                    recipient_operator=data["recipient_operator"],
                    recipient_email=data["recipient_email"],
                    disabled_routes=tuple(data["disabled_routes"]),
                    lang=data["lang"],
                ),
                actor=Actor.from_request(request),
            )
        if outcome.ok:
            return redirect("exchange:detail", pk=draft.invoice.pk)
    return render_staff_page(
        request, "exchange/invoice_send.html", {"form": form}, title="Send an invoice"
    )


def _upload(upload) -> Upload:
    return Upload(name=upload.name, data=upload.read())


@require_safe
@permission_required(VIEW)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("company", "sent_by"), pk=pk)
    context = {
        "invoice": invoice,
        "s": invoice.summary or None,
        "actions": invoice.actions.all(),
        "attachments": invoice.attachments.all(),
    }
    user = request.user
    received = invoice.direction == Direction.RECEIVED and invoice.maventa_id
    if received:
        context["fraud_reports"] = invoice.fraud_reports.all()
        context["detect_results"] = invoice.detect_results.all()
        if user.has_perm(REPORT):
            context["fraud_form"] = FraudReportForm(
                reasons=definitions.fraud_reasons(), initial={"contact_email": user.email}
            )
        if user.has_perm(DETECT):
            context["detect_form"] = DetectForm(checks=definitions.detect_checks())
    failed = invoice.direction == Direction.SENT and invoice.status == Invoice.Status.FAILED
    if failed and user.has_perm(REROUTE):
        context["reroute_form"] = RerouteForm()
    if invoice.status == Invoice.Status.DRAFT and user.has_perm(SEND):
        context["checks"] = sending.check_invoice(invoice)
        context["duplicates"] = list(
            earlier_sends(invoice.company, invoice.xml_checksum, exclude=invoice.pk)[:5]
        )
        context["confirm_form"] = ConfirmSendForm()
    return render_staff_page(request, "exchange/invoice_detail.html", context, title=str(invoice))


@require_safe
@permission_required(VIEW)
def invoice_by_maventa_id(request: HttpRequest, maventa_id: uuid.UUID) -> HttpResponse:
    """Pages of other apps link an invoice by Maventa's id, the only one they hold (a collection
    case names its invoice so)."""
    invoice = Invoice.objects.filter(maventa_id=maventa_id).only("pk").first()
    if invoice is None:
        return render_staff_page(
            request,
            "exchange/invoice_not_here.html",
            {"maventa_id": maventa_id},
            title="Invoice not in the portal",
            status=404,
        )
    return redirect("exchange:detail", pk=invoice.pk)


@post_only("exchange:detail")
@permission_required(SEND)
def invoice_confirm_send(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("company"), pk=pk)
    form = ConfirmSendForm(request.POST)
    form.is_valid()
    with staff_errors(request) as outcome:
        sending.send_invoice(
            invoice=invoice,
            actor=Actor.from_request(request),
            resend=bool(form.cleaned_data.get("resend")),
        )
    if outcome.ok:
        if invoice.status == Invoice.Status.UNKNOWN:
            messages.warning(request, sending.LOST_ANSWER)
        else:
            messages.success(
                request,
                SENT_MESSAGE.format(
                    number=invoice.number, status=invoice.get_status_display().lower()
                ),
            )
    return redirect("exchange:detail", pk=invoice.pk)


@post_only("exchange:detail")
@permission_required(SEND)
def invoice_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("company"), pk=pk)
    with staff_errors(request) as outcome:
        if invoice.status == Invoice.Status.UNKNOWN:
            sending.reconcile(invoice=invoice)
        else:
            status.refresh_sent_invoice(invoice=invoice)
    if outcome.ok:
        messages.info(request, f"Maventa has it as {invoice.get_status_display().lower()}.")
    return redirect("exchange:detail", pk=invoice.pk)


@post_only("exchange:detail")
@permission_required(REROUTE)
def invoice_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("company"), pk=pk)
    form = RerouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("exchange:detail", pk=invoice.pk)
    with staff_errors(request) as outcome:
        actions.reroute(
            invoice=invoice,
            route=form.cleaned_data["route"],
            fields=form.route_fields(),
            actor=Actor.from_request(request),
        )
    if outcome.ok:
        messages.success(request, f"Rerouted by {form.cleaned_data['route']}.")
    return redirect("exchange:detail", pk=invoice.pk)


@post_only("exchange:detail")
@permission_required(REPORT)
def invoice_report(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("company"), pk=pk)
    form = FraudReportForm(request.POST, reasons=definitions.fraud_reasons())
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("exchange:detail", pk=invoice.pk)
    with staff_errors(request) as outcome:
        report = actions.report_fraud(
            invoice=invoice, **form.cleaned_data, actor=Actor.from_request(request)
        )
    if outcome.ok:
        level = messages.SUCCESS if report.outcome == "REPORTED" else messages.INFO
        text = (
            "Reported to Maventa."
            if report.outcome == "REPORTED"
            else ("Already reported by this company: Maventa keeps one report per company.")
        )
        messages.add_message(request, level, text)
    return redirect("exchange:detail", pk=invoice.pk)


@post_only("exchange:detail")
@permission_required(DETECT)
def invoice_detect(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("company"), pk=pk)
    form = DetectForm(request.POST, checks=definitions.detect_checks())
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("exchange:detail", pk=invoice.pk)
    with staff_errors(request) as outcome:
        if request.POST.get("refresh"):
            actions.refresh_detect(invoice=invoice)
        else:
            actions.run_detect(
                invoice=invoice,
                checks=form.cleaned_data["checks"],
                actor=Actor.from_request(request),
            )
    if outcome.ok:
        messages.info(request, "Detect's results are below; pending checks finish shortly.")
    return redirect("exchange:detail", pk=invoice.pk)


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label or name}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


FILE_KINDS = {"xml": ("xml", "application/xml"), "pdf": ("image", "application/pdf")}


@require_safe
@permission_required(VIEW)
@xframe_options_sameorigin
def invoice_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """The invoice's XML or PDF image; the PDF may be shown inline on the invoice page."""
    invoice = get_object_or_404(Invoice, pk=pk)
    if kind not in FILE_KINDS:
        raise Http404("No such file.")
    attribute, content_type = FILE_KINDS[kind]
    field = getattr(invoice, attribute)
    if not field:
        raise Http404("This invoice has no such file.")
    inline = kind == "pdf" and request.GET.get("inline") == "1"
    name = f"invoice-{invoice.number or invoice.pk}.{kind}"
    response = FileResponse(
        field.open("rb"), as_attachment=not inline, filename=name, content_type=content_type
    )
    return _no_sniffing(response)


@require_safe
@permission_required(VIEW)
def attachment_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(Attachment, pk=attachment_id, invoice_id=pk)
    if not attachment.file:
        raise Http404("This attachment was not downloaded.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    return _no_sniffing(response)


def _no_sniffing(response: FileResponse) -> FileResponse:
    # Files come from outside (senders, Maventa): never let a browser run them as a page.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'; sandbox"
    return response
