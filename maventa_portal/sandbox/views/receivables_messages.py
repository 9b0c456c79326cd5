"""Message threads with Visma Amili (API.md "Receivables API"; names in ``receivables_fields``).

- ``GET /v1/message_threads`` -> 200 threads, each with its ``last_message``, the newest
  activity first; paged.
- ``GET /v1/message_threads/{id}`` -> 200 the thread with ``messages``, oldest first.
- ``PATCH /v1/message_threads/{id}`` ``{flagged}`` -> 200 the thread.
- ``GET /v1/message_threads/{id}/messages`` -> 200 its messages, oldest first.
- ``POST /v1/message_threads/{id}/messages`` ``{body, author_name?}`` -> 201 the message.
- ``GET`` / ``POST /v1/assignments/{id}/messages``: the same for the assignment's thread, which
  a POST creates when there is none, with its ``subject`` if given (a GET without one
  answers ``[]``).
- ``PUT /v1/messages/{id}/seen`` -> 200 the message, seen (``seen_at`` kept from the first).

A staff message is answered by Amili ``answer_delay_seconds`` later (``receivables_state``).
"""

import uuid

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import receivables_state as state
from ..auth import bearer
from ..models import Message, MessageThread
from ..paging import page_params, paginate, with_headers
from ..receivables_fields import as_message, as_thread
from ..responses import BadRequest, bad_request, error, json_body, json_response
from .receivables_assignments import find as find_assignment
from .receivables_assignments import not_found

DEFAULT_PER_PAGE = 25


def _thread(request: HttpRequest, thread_id: str) -> MessageThread | None:
    try:
        pk = uuid.UUID(thread_id)
    except ValueError:
        return None
    return MessageThread.objects.filter(company=request.sandbox_company, pk=pk).first()


def _author(request: HttpRequest, data: dict) -> str:
    given = data.get("author_name")
    if isinstance(given, str) and given.strip():
        return given.strip()
    user = request.sandbox_token.user
    if user is None:
        return ""
    return f"{user.first_name} {user.last_name}".strip() or user.email


def _body(data: dict) -> str:
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        raise BadRequest("Invalid parameters", ["body is missing"])
    return body.strip()


@bearer
def list_threads(request: HttpRequest) -> HttpResponse:
    state.answer_due()
    try:
        page, per_page = page_params(request, DEFAULT_PER_PAGE)
    except BadRequest as exc:
        return bad_request(exc)
    found = (
        MessageThread.objects.filter(company=request.sandbox_company)
        .annotate(last=Max("messages__created_at"))
        .order_by("-last", "-created_at")
        .prefetch_related("messages")
    )
    shown, headers = paginate(request, found, page, per_page)
    return with_headers(json_response([as_thread(t) for t in shown]), headers)


@bearer
def get_thread(request: HttpRequest, thread_id: str) -> HttpResponse:
    state.answer_due()
    thread = _thread(request, thread_id)
    if thread is None:
        return not_found("Message thread", thread_id)
    return json_response(as_thread(thread, with_messages=True))


@bearer
def patch_thread(request: HttpRequest, thread_id: str) -> HttpResponse:
    thread = _thread(request, thread_id)
    if thread is None:
        return not_found("Message thread", thread_id)
    try:
        flagged = json_body(request).get("flagged")
        if not isinstance(flagged, bool):
            raise BadRequest("Invalid parameters", ["flagged must be true or false"])
    except BadRequest as exc:
        return bad_request(exc)
    thread.flagged = flagged
    thread.save(update_fields=["flagged"])
    return json_response(as_thread(thread))


@bearer
def thread_messages(request: HttpRequest, thread_id: str) -> HttpResponse:
    state.answer_due()
    thread = _thread(request, thread_id)
    if thread is None:
        return not_found("Message thread", thread_id)
    return json_response([as_message(m) for m in thread.messages.all()])


@bearer
def post_thread_message(request: HttpRequest, thread_id: str) -> HttpResponse:
    thread = _thread(request, thread_id)
    if thread is None:
        return not_found("Message thread", thread_id)
    return _post(request, thread)


def _post(request: HttpRequest, thread: MessageThread) -> HttpResponse:
    try:
        data = json_body(request)
        body = _body(data)
    except BadRequest as exc:
        return bad_request(exc)
    message = state.write_from_company(thread, body, _author(request, data))
    return json_response(as_message(message), status=201)


@bearer
def assignment_messages(request: HttpRequest, assignment_id: str) -> HttpResponse:
    state.answer_due()
    assignment = find_assignment(request, assignment_id)
    if assignment is None:
        return not_found("Assignment", assignment_id)
    thread = MessageThread.objects.filter(assignment=assignment).first()
    messages = thread.messages.all() if thread else []
    return json_response([as_message(m) for m in messages])


@bearer
def post_assignment_message(request: HttpRequest, assignment_id: str) -> HttpResponse:
    assignment = find_assignment(request, assignment_id)
    if assignment is None:
        return not_found("Assignment", assignment_id)
    try:
        data = json_body(request)
        _body(data)
    except BadRequest as exc:
        return bad_request(exc)
    subject = data.get("subject") if isinstance(data.get("subject"), str) else ""
    return _post(request, state.thread_for(assignment, subject.strip()))


@bearer
def message_seen(request: HttpRequest, message_id: str) -> HttpResponse:
    try:
        pk = uuid.UUID(message_id)
    except ValueError:
        pk = None
    message = Message.objects.filter(pk=pk, thread__company=request.sandbox_company).first()
    if message is None:
        return error(404, "not_found", f"Message {message_id} not found")
    if not message.seen:
        message.seen, message.seen_at = True, timezone.now()
        message.save(update_fields=["seen", "seen_at"])
    return json_response(as_message(message))
