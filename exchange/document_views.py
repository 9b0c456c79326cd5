"""Staff pages for documents (orders, order responses, despatch advice...): the list, sending
(upload, preview, send), the document page, received documents fetched now, delivery confirmed.
The same pattern as the invoice pages (``views.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from companies.models import Company
from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .forms import ConfirmSendForm, SendDocumentForm
from .models import Attachment, Direction, Document
from .services import document_sync, documents
from .services.document_drafts import DocumentOptions, earlier_document_sends, prepare_document
from .services.drafts import Upload
from .views import _no_sniffing, since_filter

VIEW = "exchange.view_document"
SEND = "exchange.send_invoice"  # "Can send invoices and documents"
SYNC = "exchange.sync_received"
PAGE_SIZE = 50
SENT = "{type} {number} was sent: Maventa has it as {status}."
SYNCED = "Received documents of {company}: {result}."
CONFIRMED = "Delivery confirmed to Maventa."
Status = Document.Status


def _documents(request: HttpRequest):
    found = Document.objects.select_related("company")
    status = request.GET.get("status", "")
    # Drafts only when asked for: the list is of what went through Maventa.
    found = (
        found.filter(status=status)
        if status in Status.values
        else found.exclude(status=Status.DRAFT)
    )
    direction = request.GET.get("direction", "")
    if direction in Direction.values:
        found = found.filter(direction=direction)
    kind = request.GET.get("type", "")
    if kind in Document.Type.values:
        found = found.filter(type=kind)
    since = since_filter(request)
    if since is not None:
        found = found.filter(since)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        found = found.filter(
            Q(number__icontains=query)
            | Q(company__name__icontains=query)
            | Q(sender_name__icontains=query)
            | Q(recipient_name__icontains=query)
        )
    return found.order_by("-created_at", "-pk"), query


@require_safe
@permission_required(VIEW)
def document_list(request: HttpRequest) -> HttpResponse:
    found, query = _documents(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "directions": Direction.choices,
        "types": Document.Type.choices,
        "statuses": Status.choices,
        "drafts": Document.objects.filter(status=Status.DRAFT).count(),
    }
    if request.user.has_perm(SYNC):
        verified = Company.objects.filter(company_state=Company.State.VERIFIED)
        context["can_fetch"] = True
        context["companies"] = verified.order_by("name").only("pk", "name")
    return render_staff_page(request, "exchange/document_list.html", context, title="Documents")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(SEND)
def document_send(request: HttpRequest) -> HttpResponse:
    form = SendDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with staff_errors(form) as outcome:
            draft = prepare_document(
                company=data["company"],
                upload=_upload(data["file"]),
                attachments=[_upload(f) for f in data["attachments"]],
                options=DocumentOptions(
                    type=data["type"],
                    recipient_eia=data["recipient_eia"],
                    recipient_operator=data["recipient_operator"],
                    recipient_name=data["recipient_name"],
                    recipient_country=data["recipient_country"],
                ),
                actor=Actor.from_request(request),
            )
        if outcome.ok:
            return redirect("exchange:document_detail", pk=draft.document.pk)
    return render_staff_page(
        request, "exchange/document_send.html", {"form": form}, title="Send a document"
    )


def _upload(upload) -> Upload:
    return Upload(name=upload.name, data=upload.read())


@require_safe
@permission_required(VIEW)
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("company", "sent_by"), pk=pk)
    context = {
        "document": document,
        "attachments": document.attachments.all(),
        "file_name": document.file.name.rsplit("/", 1)[-1] if document.file else "",
        "events": list(reversed(document.events or [])),
        "given": (document.send_options or {}).get("given", {}),
        "read": (document.send_options or {}).get("read", {}),
    }
    if document.status == Status.DRAFT and request.user.has_perm(SEND):
        context["duplicates"] = list(
            earlier_document_sends(document.company, document.file_checksum, exclude=pk)[:5]
        )
        context["confirm_form"] = ConfirmSendForm()
    return render_staff_page(request, "exchange/document_detail.html", context, title=str(document))


def _document(pk: int) -> Document:
    return get_object_or_404(Document.objects.select_related("company"), pk=pk)


@post_only("exchange:document_detail")
@permission_required(SEND)
def document_confirm_send(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    form = ConfirmSendForm(request.POST)
    form.is_valid()
    with staff_errors(request) as outcome:
        documents.send_document(
            document=document,
            actor=Actor.from_request(request),
            resend=bool(form.cleaned_data.get("resend")),
        )
    if outcome.ok:
        if document.status == Status.UNKNOWN:
            messages.warning(request, documents.LOST_ANSWER)
        else:
            status = document.get_status_display().lower()
            kind = document.get_type_display()
            messages.success(request, SENT.format(type=kind, number=document.number, status=status))
    return redirect("exchange:document_detail", pk=document.pk)


@post_only("exchange:document_detail")
@permission_required(SEND)
def document_reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    with staff_errors(request) as outcome:
        documents.reconcile_document(document=document, actor=Actor.from_request(request))
    if outcome.ok:
        if document.status == Status.UNKNOWN:
            messages.warning(request, documents.STILL_UNKNOWN)
        else:
            messages.success(request, f"Maventa has it as {document.get_status_display()}.")
    return redirect("exchange:document_detail", pk=document.pk)


@post_only("exchange:document_detail")
@permission_required(SYNC)
def document_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    with staff_errors(request) as outcome:
        document_sync.refresh_document(document=document, actor=Actor.from_request(request))
    if outcome.ok:
        messages.info(request, f"Read from Maventa: {document.get_status_display().lower()}.")
    return redirect("exchange:document_detail", pk=document.pk)


@post_only("exchange:document_detail")
@permission_required(SEND)
def document_confirm_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    with staff_errors(request) as outcome:
        document_sync.confirm_delivery(document=document, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, CONFIRMED)
    return redirect("exchange:document_detail", pk=document.pk)


@post_only("exchange:documents", with_kwargs=False)
@permission_required(SYNC)
def document_fetch(request: HttpRequest) -> HttpResponse:
    verified = Company.objects.filter(company_state=Company.State.VERIFIED)
    company = verified.filter(pk=_int(request.POST.get("company"))).first()
    if company is None:
        messages.error(request, "Choose a verified company to fetch its received documents.")
        return redirect("exchange:documents")
    with staff_errors(request) as outcome:
        result = document_sync.sync_received_documents(
            company=company, actor=Actor.from_request(request)
        )
    if outcome.ok:
        messages.success(request, SYNCED.format(company=company, result=result))
    return redirect(f"{reverse('exchange:documents')}?direction={Direction.RECEIVED}")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_safe
@permission_required(VIEW)
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The document's own file, as a download no browser runs."""
    document = get_object_or_404(Document, pk=pk)
    if not document.file:
        raise Http404("This document's file is not here (not downloaded yet).")
    name = document.file.name.rsplit("/", 1)[-1]
    return _download(document.file, name)


@require_safe
@permission_required(VIEW)
def document_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(Attachment, pk=attachment_id, document_id=pk)
    if not attachment.file:
        raise Http404("This attachment was not downloaded.")
    return _download(attachment.file, attachment.filename)


def _download(field_file, name: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )
    return _no_sniffing(response)
