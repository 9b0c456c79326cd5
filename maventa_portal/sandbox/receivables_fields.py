"""Every wire name of the Receivables API in the sandbox: paths, fields, enums and shapes.

Activation follows the AX schema (FIELDS.md section 9: ``PutV1ServicesReceivables`` and
``ReceivablesService``; the answer has no ``postal_address``). The rest has no published field
schema (FIELDS.md section 13); the names below are assumptions, the obvious snake_case ones:

- Assignment: ``id``, ``invoice_id``, ``reference_ids`` (the sent invoice's UUID, as FIELDS.md
  13 says), ``invoice_number``, ``reference``, ``debtor_name``, ``debtor_bid``, ``currency``,
  ``amount``, ``open_amount`` (numbers, two decimals), ``due_date`` (YYYY-MM-DD), ``status``
  (``open``, ``partially_closed``, ``closed``), ``created_at``, ``closed_at``, ``events``.
- Assignment event: ``id``, ``assignment_id``, ``type``, ``sender`` (``amili`` or
  ``company``), ``amount``, ``due_date``, ``message`` (``comment`` accepted on POST too),
  ``seen``, ``created_at``. Types:
  ``comment``, ``paid``, ``close`` (Amili only), ``credit_note``, ``due_date_change`` and
  ``cancellation`` (the last two are named in prose only).
- List filters: ``debtor_name`` (contains, any case), ``status``, ``created_after`` /
  ``created_before``, ``closed_after`` / ``closed_before`` (``MOMENT_FILTERS``); events:
  ``type``, ``seen``, ``assignment_id``, ``created_after``. Paged as the AX lists are
  (``page``, ``per_page``, X-* headers).
- Overview: ``{open, soon_due, overdue}``; soon due is due within ``SOON_DUE_DAYS`` days.
- Service level: ``{customer_bid, service_level}``; PATCH ``{service_level}``.
- Message thread: ``id``, ``assignment_id``, ``subject``, ``flagged``, ``unread_count``
  (Amili's messages not yet seen), ``created_at``, ``last_message_at``, ``last_message``; one
  read alone adds ``messages`` (oldest first).
- Message: ``id``, ``thread_id``, ``author_type`` (``amili`` or ``company``), ``author_name``
  (the company user's name or email, or "Visma Amili"), ``body``, ``seen``, ``seen_at``,
  ``created_at``. POST ``{body, author_name?}`` (``subject?`` when it creates an assignment's
  thread); PATCH of a thread ``{flagged}``.
"""

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .models import Assignment, AssignmentEvent, Message, MessageThread, ReceivablesService
from .responses import BadRequest, isoformat

SERVICE_PATH = "v1/services/receivables"
ASSIGNMENTS = "v1/assignments"
EVENTS = "v1/events"
SERVICE_LEVELS = "v1/service_levels"
THREADS = "v1/message_threads"
MESSAGES = "v1/messages"

REQUIRED = (
    "iban",
    "bic",
    "bank",
    "contact_person",
    "contact_email",
    "customer_service_email",
    "contact_phone_number",
    "authorization_email",
)
OPTIONAL = ("customer_service_phone_number",)
EMAILS = ("contact_email", "customer_service_email", "authorization_email")
ACCOUNTABLE_PARTIES = ("vfsfi", "company")
ADDRESS_FIELDS = ("country", "streets", "city", "zip_code")

# The collection account and notice text of Visma Financial Solutions, as the sandbox shows them.
VFSFI = {
    "iban": "FI8079600140000123",
    "bic": "DABAFIHH",
    "account_number": "796001-40000123",
    "notes": [
        {
            "phrase": "Saatava on siirretty Visma Financial Solutions Oy:lle. Maksu vain "
            "alla olevalle tilille.",
            "code": "FI",
        },
        {
            "phrase": "Fordran har överlåtits till Visma Financial Solutions Oy. Betalning "
            "endast till kontot nedan.",
            "code": "SV",
        },
        {
            "phrase": "This receivable has been assigned to Visma Financial Solutions Oy. "
            "Pay only to the account below.",
            "code": "EN",
        },
    ],
}

COMPANY_EVENT_TYPES = ("comment", "paid", "credit_note", "due_date_change", "cancellation")
EVENT_TYPES = (*COMPANY_EVENT_TYPES, "close")
AMILI, COMPANY = "amili", "company"
AMILI_AUTHOR = "Visma Amili"
SERVICE_LEVELS_LISTED = ("premium", "vip", "service_bypass")
DEFAULT_LEVEL = "default"
SOON_DUE_DAYS = 7
# Query parameter -> (model field, lookup) of the assignment and event lists.
MOMENT_FILTERS = {
    "created_after": ("created_at", "gte"),
    "created_before": ("created_at", "lte"),
    "closed_after": ("closed_at", "gte"),
    "closed_before": ("closed_at", "lte"),
}
EVENT_MOMENT_FILTERS = ("created_after",)

_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def iban_ok(value: str) -> bool:
    """ISO 13616: the format, then the mod-97 checksum over the rearranged digits."""
    compact = value.replace(" ", "").upper()
    if not _IBAN.match(compact):
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _text(data: dict, name: str, problems: list[str], required: bool) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{name} is missing")
        return ""
    if not isinstance(value, str):
        problems.append(f"{name} must be a string")
        return ""
    return value.strip()


def _address(data: Any, name: str, problems: list[str], required: bool) -> dict | None:
    if data is None:
        if required:
            problems.append(f"{name} is missing")
        return None
    if not isinstance(data, dict):
        problems.append(f"{name} must be an object")
        return None
    address: dict[str, Any] = {}
    for field in ADDRESS_FIELDS:
        value = data.get(field)
        if value in (None, "", []):
            if required:
                problems.append(f"{name}[{field}] is missing")
            continue
        if field == "streets":
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                problems.append(f"{name}[streets] must be an array of strings")
                continue
            address[field] = [s.strip() for s in value if s.strip()]
        elif not isinstance(value, str):
            problems.append(f"{name}[{field}] must be a string")
        else:
            address[field] = value.strip()
    return address


def parse_activation(data: dict) -> dict[str, Any]:
    """The settings as accepted, or BadRequest naming each problem (400 invalid_parameters)."""
    problems: list[str] = []
    settings: dict[str, Any] = {}
    for name in REQUIRED:
        settings[name] = _text(data, name, problems, required=True)
    for name in OPTIONAL:
        if value := _text(data, name, problems, required=False):
            settings[name] = value
    if settings["iban"]:
        settings["iban"] = settings["iban"].replace(" ", "").upper()
        if not iban_ok(settings["iban"]):
            problems.append("iban is not a valid IBAN (format or checksum)")
    if settings["bic"]:
        settings["bic"] = settings["bic"].upper()
        if not _BIC.match(settings["bic"]):
            problems.append("bic is not a valid BIC (8 or 11 characters)")
    for name in EMAILS:
        if settings[name] and not _EMAIL.match(settings[name]):
            problems.append(f"{name} is not a valid email address")
    party = data.get("accountable_party")
    if party is not None:
        if party not in ACCOUNTABLE_PARTIES:
            problems.append(f"accountable_party does not have a valid value: {party!r}")
        else:
            settings["accountable_party"] = party
    settings["billing_address"] = _address(
        data.get("billing_address"), "billing_address", problems, required=True
    )
    postal = _address(data.get("postal_address"), "postal_address", problems, required=False)
    if postal:
        settings["postal_address"] = postal
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return settings


def as_service(service: ReceivablesService | None) -> dict[str, Any]:
    if service is None:
        return {"status": ReceivablesService.Status.DISABLED}
    shown = {k: v for k, v in service.settings.items() if k != "postal_address"}
    shown["status"] = service.status
    if service.status != ReceivablesService.Status.DISABLED:
        shown["vfsfi"] = VFSFI
    return shown


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def as_event(event: AssignmentEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "assignment_id": str(event.assignment_id),
        "type": event.type,
        "sender": event.sender,
        "amount": money(event.amount),
        "due_date": _day(event.due_date),
        "message": event.comment,
        "seen": event.seen,
        "created_at": isoformat(event.created_at),
    }


def as_assignment(assignment: Assignment, with_events: bool = True) -> dict[str, Any]:
    invoice_id = str(assignment.invoice_id) if assignment.invoice_id else None
    shown = {
        "id": str(assignment.id),
        "invoice_id": invoice_id,
        "reference_ids": [invoice_id] if invoice_id else [],
        "invoice_number": assignment.invoice_number,
        "reference": assignment.reference,
        "debtor_name": assignment.debtor_name,
        "debtor_bid": assignment.debtor_bid,
        "currency": assignment.currency,
        "amount": money(assignment.amount),
        "open_amount": money(assignment.open_amount),
        "due_date": _day(assignment.due_date),
        "status": assignment.status,
        "created_at": isoformat(assignment.created_at),
        "closed_at": isoformat(assignment.closed_at) if assignment.closed_at else None,
    }
    if with_events:
        shown["events"] = [as_event(e) for e in assignment.events.all()]
    return shown


def parse_event(data: dict) -> dict[str, Any]:
    problems: list[str] = []
    kind = data.get("type")
    if kind not in COMPANY_EVENT_TYPES:
        problems.append(f"type must be one of {', '.join(COMPANY_EVENT_TYPES)}")
    wanted: dict[str, Any] = {"type": kind, "comment": "", "amount": None, "due_date": None}
    comment = data.get("message", data.get("comment", ""))
    if not isinstance(comment, str):
        problems.append("message must be a string")
    else:
        wanted["comment"] = comment.strip()
    if kind == "comment" and not wanted["comment"]:
        problems.append("message is missing")
    if kind in ("paid", "credit_note"):
        wanted["amount"] = parse_amount(data.get("amount"), problems)
    if kind == "due_date_change":
        wanted["due_date"] = parse_day(data.get("due_date"), "due_date", problems)
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return wanted


def parse_amount(raw: Any, problems: list[str]) -> Decimal | None:
    try:
        amount = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        problems.append("amount must be a positive number")
        return None
    if raw is None or not amount.is_finite() or amount <= 0:
        problems.append("amount must be a positive number")
        return None
    return amount.quantize(Decimal("0.01"))


def parse_day(raw: Any, name: str, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(f"{name} must be a date, YYYY-MM-DD")
        return None


def soon_due_until(today: date) -> date:
    return today + timedelta(days=SOON_DUE_DAYS)


def as_message(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "thread_id": str(message.thread_id),
        "author_type": message.sender,
        "author_name": message.author,
        "body": message.body,
        "seen": message.seen,
        "seen_at": isoformat(message.seen_at) if message.seen_at else None,
        "created_at": isoformat(message.created_at),
    }


def as_thread(thread: MessageThread, with_messages: bool = False) -> dict[str, Any]:
    messages = list(thread.messages.all())
    shown: dict[str, Any] = {
        "id": str(thread.id),
        "assignment_id": str(thread.assignment_id) if thread.assignment_id else None,
        "subject": thread.subject,
        "flagged": thread.flagged,
        "unread_count": sum(1 for m in messages if not m.seen and m.sender == AMILI),
        "created_at": isoformat(thread.created_at),
        "last_message_at": isoformat(messages[-1].created_at) if messages else None,
        "last_message": as_message(messages[-1]) if messages else None,
    }
    if with_messages:
        shown["messages"] = [as_message(m) for m in messages]
    return shown
