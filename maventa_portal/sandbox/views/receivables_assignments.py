"""Assignments and their events (FIELDS.md section 13; names in ``receivables_fields``).

- ``GET /v1/assignments`` -> 200 Assignment[] (with events), paged, oldest first; filters
  ``debtor_name``, ``status``, ``created_after/_before``, ``closed_after/_before``.
- ``GET /v1/assignments/overview`` -> 200 ``{open, soon_due, overdue}``.
- ``GET /v1/assignments/{id}`` -> 200 Assignment; ``GET .../events`` -> 200 its events.
- ``POST /v1/assignments/{id}/events`` ``{type, amount?, due_date?, message?}`` -> 201 event.
- ``POST /v1/assignments/{id}/events/{event_id}/seen`` -> 200 the event, seen.
- ``GET /v1/events`` -> 200 events of every assignment, paged; filters ``type``, ``seen``,
  ``assignment_id``, ``created_after``.

Every read first opens assignments for invoices sent since activation, and writes Amili's
answers that are due (time moves lazily).
"""

import uuid

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import receivables_state as state
from ..auth import bearer
from ..models import Assignment, AssignmentEvent
from ..paging import page_params, paginate, with_headers
from ..params import moment, one_of, raise_if
from ..receivables_fields import (
    COMPANY,
    EVENT_MOMENT_FILTERS,
    EVENT_TYPES,
    MOMENT_FILTERS,
    as_assignment,
    as_event,
    parse_event,
    soon_due_until,
)
from ..responses import BadRequest, bad_request, error, json_body, json_response

DEFAULT_PER_PAGE = 25
STATUSES = tuple(Assignment.Status.values)


def catch_up(request: HttpRequest) -> None:
    state.open_for_sent_invoices(request.sandbox_company)
    state.answer_due()


def find(request: HttpRequest, assignment_id: str) -> Assignment | None:
    try:
        pk = uuid.UUID(assignment_id)
    except ValueError:
        return None
    return Assignment.objects.filter(company=request.sandbox_company, pk=pk).first()


def not_found(what: str, some_id: str) -> HttpResponse:
    return error(404, "not_found", f"{what} {some_id} not found")


@bearer
def list_assignments(request: HttpRequest) -> HttpResponse:
    catch_up(request)
    try:
        page, per_page = page_params(request, DEFAULT_PER_PAGE)
        problems: list[str] = []
        found = Assignment.objects.filter(company=request.sandbox_company)
        if name := request.GET.get("debtor_name", "").strip():
            found = found.filter(debtor_name__icontains=name)
        if status := request.GET.get("status", ""):
            one_of(status, STATUSES, "status", problems)
            found = found.filter(status=status)
        for name, (field, lookup) in MOMENT_FILTERS.items():
            if value := moment(request, name, problems):
                found = found.filter(**{f"{field}__{lookup}": value})
        raise_if(problems)
    except BadRequest as exc:
        return bad_request(exc)
    shown, headers = paginate(request, found.prefetch_related("events"), page, per_page)
    return with_headers(json_response([as_assignment(a) for a in shown]), headers)


@bearer
def overview(request: HttpRequest) -> HttpResponse:
    catch_up(request)
    today = timezone.localdate()
    unclosed = Assignment.objects.filter(company=request.sandbox_company).exclude(
        status=Assignment.Status.CLOSED
    )
    return json_response(
        {
            "open": unclosed.count(),
            "soon_due": unclosed.filter(
                due_date__gte=today, due_date__lte=soon_due_until(today)
            ).count(),
            "overdue": unclosed.filter(due_date__lt=today).count(),
        }
    )


@bearer
def get_assignment(request: HttpRequest, assignment_id: str) -> HttpResponse:
    catch_up(request)
    found = find(request, assignment_id)
    if found is None:
        return not_found("Assignment", assignment_id)
    return json_response(as_assignment(found))


@bearer
def assignment_events(request: HttpRequest, assignment_id: str) -> HttpResponse:
    found = find(request, assignment_id)
    if found is None:
        return not_found("Assignment", assignment_id)
    return json_response([as_event(e) for e in found.events.all()])


@bearer
def add_event(request: HttpRequest, assignment_id: str) -> HttpResponse:
    found = find(request, assignment_id)
    if found is None:
        return not_found("Assignment", assignment_id)
    try:
        wanted = parse_event(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    return json_response(as_event(state.add_event(found, COMPANY, wanted)), status=201)


@bearer
def event_seen(request: HttpRequest, assignment_id: str, event_id: str) -> HttpResponse:
    found = find(request, assignment_id)
    try:
        event = found.events.filter(pk=uuid.UUID(event_id)).first() if found else None
    except ValueError:
        event = None
    if event is None:
        return not_found("Event", event_id)
    AssignmentEvent.objects.filter(pk=event.pk).update(seen=True)
    event.seen = True
    return json_response(as_event(event))


@bearer
def list_events(request: HttpRequest) -> HttpResponse:
    catch_up(request)
    try:
        page, per_page = page_params(request, DEFAULT_PER_PAGE)
        problems: list[str] = []
        found = AssignmentEvent.objects.filter(assignment__company=request.sandbox_company)
        if kind := request.GET.get("type", ""):
            one_of(kind, EVENT_TYPES, "type", problems)
            found = found.filter(type=kind)
        if seen := request.GET.get("seen", ""):
            one_of(seen, ("true", "false"), "seen", problems)
            found = found.filter(seen=seen == "true")
        if assignment_id := request.GET.get("assignment_id", ""):
            try:
                found = found.filter(assignment_id=uuid.UUID(assignment_id))
            except ValueError:
                problems.append("assignment_id must be a UUID")
        for name in EVENT_MOMENT_FILTERS:
            field, lookup = MOMENT_FILTERS[name]
            if value := moment(request, name, problems):
                found = found.filter(**{f"{field}__{lookup}": value})
        raise_if(problems)
    except BadRequest as exc:
        return bad_request(exc)
    shown, headers = paginate(request, found, page, per_page)
    return with_headers(json_response([as_event(e) for e in shown]), headers)
