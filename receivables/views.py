"""The staff inbox of conversations with Visma Amili: the threads (unread and flagged first),
a conversation, replying, flagging, and fetching new messages on demand."""

from __future__ import annotations

from itertools import chain

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .forms import InboxFilterForm, ReplyForm
from .models import AssignmentEvent, Message, MessageThread
from .services import messaging, polling, sync

VIEW = "receivables.view_messagethread"
REPLY = "receivables.reply_message"
FLAG = "receivables.flag_messagethread"
INBOX = "receivables:inbox"
THREAD = "receivables:thread"
# Unread and flagged threads sort first, so the first page holds every one needing attention
# unless there are more of them than this.
PAGE_SIZE = 100


def _filtered(form: InboxFilterForm) -> QuerySet[MessageThread]:
    threads = MessageThread.objects.select_related("company", "assignment")
    if not form.is_valid():
        return threads
    data = form.cleaned_data
    if data["company"]:
        threads = threads.filter(company=data["company"])
    if data["flagged"]:
        threads = threads.filter(flagged=data["flagged"] == "yes")
    if wanted := data["assignment"].strip():
        threads = threads.filter(
            Q(assignment__maventa_id=wanted) | Q(assignment__invoice_id=wanted)
        )
    if text := data["q"].strip():
        in_messages = Message.objects.filter(thread=OuterRef("pk"), body__icontains=text)
        threads = threads.filter(
            Q(subject__icontains=text)
            | Q(company__name__icontains=text)
            | Q(assignment__debtor_name__icontains=text)
            | Q(maventa_id=text)
            | Exists(in_messages)
        )
    return threads


@require_safe
@permission_required(VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    threads = _filtered(form)
    return render_staff_page(
        request,
        "receivables/inbox.html",
        {
            "form": form,
            "page": Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page")),
            "unread_total": threads.aggregate(total=Sum("unread_count"))["total"] or 0,
            "can_fetch": request.user.has_perm(REPLY),
        },
        title="Messages with Visma Amili",
    )


def conversation(*, messages: QuerySet[Message], assignment_id: int | None) -> list[dict]:
    """Messages and the assignment's comment events in one list, oldest first."""
    comments = (
        AssignmentEvent.objects.filter(
            assignment_id=assignment_id, type=AssignmentEvent.Type.COMMENT
        )
        if assignment_id
        else AssignmentEvent.objects.none()
    )
    entries = chain(
        (
            {"kind": "message", "item": m, "at": m.sent_at}
            for m in messages.select_related("replied_by")
        ),
        ({"kind": "comment", "item": e, "at": e.happened_at} for e in comments),
    )
    return sorted(entries, key=lambda e: (e["at"] is None, e["at"] or 0, e["item"].pk))


def _conversation(thread: MessageThread) -> list[dict]:
    return conversation(messages=thread.messages.all(), assignment_id=thread.assignment_id)


@require_safe
@permission_required(VIEW)
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(MessageThread.objects.select_related("company", "assignment"), pk=pk)
    # Opening the conversation is reading it: Maventa is told once per message. A HEAD (a
    # link checker, a prefetch) shows nobody the messages.
    if request.method == "GET":
        with staff_errors(request):
            messaging.mark_thread_seen(thread)
    return render_staff_page(
        request,
        "receivables/thread.html",
        {
            "thread": thread,
            "conversation": _conversation(thread),
            "form": ReplyForm(),
        },
        title=str(thread),
    )


@post_only(THREAD)
@permission_required(REPLY)
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(MessageThread.objects.select_related("company"), pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        with staff_errors(form) as outcome:
            messaging.reply(
                thread=thread, body=form.cleaned_data["body"], actor=Actor.from_request(request)
            )
        if outcome.ok:
            messages.success(request, "Reply sent to Visma Amili.")
            return redirect(THREAD, pk=thread.pk)
    return render_staff_page(
        request,
        "receivables/thread.html",
        {"thread": thread, "conversation": _conversation(thread), "form": form},
        title=str(thread),
        status=400,
    )


@post_only(THREAD)
@permission_required(FLAG)
def thread_flag(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(MessageThread.objects.select_related("company"), pk=pk)
    flagged = request.POST.get("flagged") == "1"
    with staff_errors(request) as outcome:
        messaging.set_flag(thread=thread, flagged=flagged, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, "Flagged." if flagged else "Flag removed.")
    if request.POST.get("next") == "inbox":
        return redirect(INBOX)
    return redirect(THREAD, pk=thread.pk)


# Fetching writes the mirror, so it is for those who handle the conversations, not readers.
@post_only(INBOX, with_kwargs=False)
@permission_required(REPLY)
def fetch_messages(request: HttpRequest) -> HttpResponse:
    """Every company's messages now; from a conversation (``thread``), only its company's, and
    back to the conversation, where the new messages are then read."""
    thread = _thread_asked(request)
    companies = [thread.company] if thread else list(polling.companies_with_receivables())
    fetched = 0
    with recording(
        Actor.from_request(request),
        "receivables.fetch_messages",
        target=thread or MessageThread,
        company=thread.company if thread else None,
        asked={"thread": thread.maventa_id if thread else "every company"},
    ) as rec:
        for company in companies:
            with staff_errors(request) as outcome:
                sync.sync_message_threads(company=company)
            fetched += outcome.ok
        rec.note = f"{fetched} of {len(companies)} companies mirrored"
    if thread is not None:
        if fetched:
            messages.success(request, "Checked Visma Amili for new messages.")
        return redirect(THREAD, pk=thread.pk)
    messages.success(request, f"Fetched the messages of {fetched} companies.")
    return redirect(INBOX)


def _thread_asked(request: HttpRequest) -> MessageThread | None:
    raw = request.POST.get("thread", "")
    if not raw.isdigit():
        return None
    return get_object_or_404(MessageThread.objects.select_related("company"), pk=int(raw))
