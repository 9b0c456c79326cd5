"""The collection cases: a list with the overview counts, and a case's page (its invoice, its
event timeline, its conversation with Amili) where staff add events and write to Amili."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .forms import AssignmentEventForm, AssignmentMessageForm
from .models import Assignment, Message
from .services import assignments, messaging
from .views import conversation

VIEW = "receivables.view_assignment"
ADD_EVENT = "receivables.add_assignment_event"
WRITE = "receivables.reply_message"
SOON = timedelta(days=7)
PAGE_SIZE = 100


@require_safe
@permission_required(VIEW)
def assignment_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    found = Assignment.objects.select_related("company").order_by("due_date", "pk")
    if status in Assignment.Status.values:
        found = found.filter(status=status)
    today = timezone.localdate()
    open_cases = Q(status__in=[Assignment.Status.OPEN, Assignment.Status.PARTIALLY_CLOSED])
    overview = Assignment.objects.aggregate(
        open=Count("pk", filter=open_cases),
        soon_due=Count(
            "pk", filter=open_cases & Q(due_date__gte=today, due_date__lte=today + SOON)
        ),
        overdue=Count("pk", filter=open_cases & Q(due_date__lt=today)),
    )
    return render_staff_page(
        request,
        "receivables/assignment_list.html",
        {
            "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
            "overview": overview,
            "statuses": Assignment.Status.choices,
            "status": status,
        },
        title="Collection cases",
    )


@require_safe
@permission_required(VIEW)
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_object_or_404(Assignment, pk=pk))


@post_only("receivables:assignment")
@permission_required(ADD_EVENT)
def assignment_add_event(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("company"), pk=pk)
    form = AssignmentEventForm(request.POST)
    if form.is_valid():
        with staff_errors(form) as outcome:
            assignments.add_event(
                assignment=assignment, actor=Actor.from_request(request), **form.cleaned_data
            )
        if outcome.ok:
            messages.success(request, "Sent to Visma Amili.")
            return redirect("receivables:assignment", pk=pk)
    return _page(request, assignment, form=form)


@post_only("receivables:assignment")
@permission_required(WRITE)
def assignment_message(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("company"), pk=pk)
    form = AssignmentMessageForm(request.POST)
    if form.is_valid():
        with staff_errors(form) as outcome:
            messaging.write_about_assignment(
                assignment=assignment,
                body=form.cleaned_data["body"],
                subject=form.cleaned_data["subject"],
                actor=Actor.from_request(request),
            )
        if outcome.ok:
            messages.success(request, "Message sent to Visma Amili.")
            return redirect(reverse("receivables:assignment", args=[pk]) + "#conversation")
    return _page(request, assignment, message_form=form, status=400)


def _page(
    request: HttpRequest,
    assignment: Assignment,
    *,
    form: AssignmentEventForm | None = None,
    message_form: AssignmentMessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    threads = assignment.threads.all()
    return render_staff_page(
        request,
        "receivables/assignment_detail.html",
        {
            "assignment": assignment,
            "invoice_uuid": _uuid_or_none(assignment.invoice_id),
            "events": assignment.events.order_by("happened_at", "pk"),
            "threads": threads,
            "conversation": conversation(
                messages=Message.objects.filter(thread__in=threads), assignment_id=assignment.pk
            ),
            "form": form or AssignmentEventForm(),
            "message_form": message_form or AssignmentMessageForm(),
        },
        title=f"Case of {assignment.debtor_name or assignment.maventa_id}",
        status=status,
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    """The invoice is linked when Maventa's id is a UUID, as its invoice ids are."""
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None
