"""Control API for Receivables, mounted by ``control.py`` under ``/sandbox/_control/``:

- ``GET receivables`` / ``PUT receivables`` -> 200 ``{answer_delay_seconds, answers}``: how
  long Amili takes to answer a staff message (3 s by default) and whether it answers at all;
  keys left out go back to their defaults. ``POST reset`` does the same.
- ``POST receivables/assignments`` ``{company_id, debtor_name?, debtor_bid?, amount?,
  due_date?, invoice_id?, invoice_number?, status?}`` -> 201 the assignment (``status``
  ``partially_closed`` pays half, ``closed`` closes it, through the events Amili would add).
- ``POST receivables/open`` ``{company_id, all?}`` -> 200 ``{opened}``: assignments for the
  company's sent invoices without one (since activation; ``all``: every one).
- ``POST receivables/messages`` ``{thread_id | assignment_id, body}`` -> 201 a message from
  Amili (the assignment's thread created when none exists).
- ``POST receivables/events`` ``{assignment_id, type, amount?, message?}`` -> 201 an event
  from Amili (``paid``, ``close``, ``comment``...).
- ``POST receivables/demo`` ``{company_id}`` -> 201 ``{assignments, thread_id}``: the service
  activated (``DEMO_SETTINGS``), an assignment in each status, and a conversation about the
  open one ending in two messages from Amili not yet seen.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import receivables_state as state
from .models import Assignment, Company, Invoice, MessageThread
from .receivables_fields import (
    AMILI,
    EVENT_TYPES,
    as_assignment,
    as_event,
    as_message,
    parse_amount,
    parse_day,
)
from .responses import BadRequest, bad_request, by_method, error, json_body, json_response


def reset() -> None:
    state.amili.reset()


def get_config(request: HttpRequest) -> HttpResponse:
    return json_response(state.amili.snapshot())


def put_config(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        delay = data.get("answer_delay_seconds", state.DEFAULT_ANSWER_DELAY)
        answers = data.get("answers", True)
        if not isinstance(delay, int | float) or delay < 0 or not isinstance(answers, bool):
            raise BadRequest("answer_delay_seconds must be >= 0 and answers a boolean")
    except BadRequest as exc:
        return bad_request(exc)
    state.amili.answer_delay_seconds, state.amili.answers = float(delay), answers
    return json_response(state.amili.snapshot())


def _get(model: Any, raw: Any, what: str) -> Any:
    try:
        return model.objects.get(pk=uuid.UUID(str(raw)))
    except (ValueError, model.DoesNotExist):
        raise BadRequest(f"No such {what}: {raw}") from None


def create_assignment(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        company = _get(Company, data.get("company_id"), "company")
        problems: list[str] = []
        amount = parse_amount(data.get("amount", "100.00"), problems)
        due = data.get("due_date")
        due_date = parse_day(due, "due_date", problems) if due else None
        status = data.get("status", Assignment.Status.OPEN)
        if status not in Assignment.Status.values:
            problems.append(f"status must be one of {Assignment.Status.values}")
        invoice = _get(Invoice, data["invoice_id"], "invoice") if data.get("invoice_id") else None
        if problems:
            raise BadRequest("Invalid parameters", problems)
    except BadRequest as exc:
        return bad_request(exc)
    assignment = Assignment.objects.create(
        company=company,
        invoice=invoice,
        invoice_number=str(data.get("invoice_number") or (invoice.number if invoice else "")),
        reference=str(data.get("reference", "")),
        debtor_name=str(data.get("debtor_name", "Asiakas Oy")),
        debtor_bid=str(data.get("debtor_bid", "")),
        amount=amount,
        open_amount=amount,
        due_date=due_date or date.today() + timedelta(days=14),
    )
    if status == Assignment.Status.PARTIALLY_CLOSED:
        half = (amount / 2).quantize(Decimal("0.01"))
        state.add_event(assignment, AMILI, {"type": "paid", "amount": half})
    elif status == Assignment.Status.CLOSED:
        state.add_event(assignment, AMILI, {"type": "close"})
    assignment.refresh_from_db()
    return json_response(as_assignment(assignment), status=201)


def open_assignments(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        company = _get(Company, data.get("company_id"), "company")
    except BadRequest as exc:
        return bad_request(exc)
    opened = state.open_for_sent_invoices(company, since_activation=not data.get("all"))
    return json_response({"opened": opened})


def amili_message(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        if data.get("thread_id"):
            thread = _get(MessageThread, data["thread_id"], "thread")
        else:
            thread = state.thread_for(_get(Assignment, data.get("assignment_id"), "assignment"))
        body = data.get("body")
        if not isinstance(body, str) or not body.strip():
            raise BadRequest("body is missing")
    except BadRequest as exc:
        return bad_request(exc)
    return json_response(as_message(state.write_from_amili(thread, body.strip())), status=201)


def amili_event(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        assignment = _get(Assignment, data.get("assignment_id"), "assignment")
        kind = data.get("type")
        if kind not in EVENT_TYPES:
            raise BadRequest(f"type must be one of {EVENT_TYPES}")
        problems: list[str] = []
        amount = parse_amount(data["amount"], problems) if data.get("amount") else None
        if problems:
            raise BadRequest("Invalid parameters", problems)
    except BadRequest as exc:
        return bad_request(exc)
    if kind == "paid" and amount is None:
        return error(400, "invalid_parameters", "paid needs an amount")
    comment = data.get("message", data.get("comment", ""))
    wanted = {"type": kind, "amount": amount, "comment": str(comment)}
    return json_response(as_event(state.add_event(assignment, AMILI, wanted)), status=201)


DEMO_SETTINGS = {
    "iban": "FI2112345600000785",
    "bic": "NDEAFIHH",
    "bank": "Nordea",
    "contact_person": "Maija Meikäläinen",
    "contact_email": "maija.meikalainen@example.com",
    "customer_service_email": "asiakaspalvelu@example.com",
    "customer_service_phone_number": "+358401234567",
    "contact_phone_number": "+358407654321",
    "authorization_email": "johto@example.com",
    "accountable_party": "vfsfi",
    "billing_address": {
        "country": "FI",
        "streets": ["Mannerheimintie 1 A", "PL 100"],
        "city": "Helsinki",
        "zip_code": "00100",
    },
}
DEMO_DEBTORS = (
    ("Kauppa Virtanen Oy", "2345678-1", "1240.00", -12, Assignment.Status.OPEN),
    ("Rakennus Nieminen Oy", "3456789-2", "860.50", 3, Assignment.Status.OPEN),
    ("Kahvila Mäkinen", "4567890-3", "410.00", 10, Assignment.Status.PARTIALLY_CLOSED),
    ("Konepaja Laine Oy", "5678901-4", "2990.00", -40, Assignment.Status.CLOSED),
)


def demo(request: HttpRequest) -> HttpResponse:
    try:
        company = _get(Company, json_body(request).get("company_id"), "company")
    except BadRequest as exc:
        return bad_request(exc)
    state.activate(company, DEMO_SETTINGS)
    made = []
    for number, (name, bid, amount, due_in, status) in enumerate(DEMO_DEBTORS, start=1001):
        assignment = Assignment.objects.create(
            company=company,
            invoice_number=str(number),
            debtor_name=name,
            debtor_bid=bid,
            amount=Decimal(amount),
            open_amount=Decimal(amount),
            due_date=date.today() + timedelta(days=due_in),
        )
        if status == Assignment.Status.PARTIALLY_CLOSED:
            state.add_event(assignment, AMILI, {"type": "paid", "amount": Decimal("200.00")})
        elif status == Assignment.Status.CLOSED:
            state.add_event(assignment, AMILI, {"type": "paid", "amount": Decimal(amount)})
        made.append(assignment)
    thread = state.thread_for(made[0])
    state.write_from_amili(thread, "Asiakas kertoo maksaneensa laskun. Voitteko tarkistaa?")
    state.write_from_amili(thread, "Asiakas pyytää lisäksi kopiota laskusta.")
    shown = [as_assignment(Assignment.objects.get(pk=a.pk)) for a in made]
    return json_response({"assignments": shown, "thread_id": str(thread.id)}, status=201)


urlpatterns = [
    path("receivables/demo", csrf_exempt(by_method(POST=demo))),
    path("receivables", csrf_exempt(by_method(GET=get_config, PUT=put_config))),
    path("receivables/assignments", csrf_exempt(by_method(POST=create_assignment))),
    path("receivables/open", csrf_exempt(by_method(POST=open_assignments))),
    path("receivables/messages", csrf_exempt(by_method(POST=amili_message))),
    path("receivables/events", csrf_exempt(by_method(POST=amili_event))),
]
