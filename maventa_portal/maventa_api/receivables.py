"""The Receivables API: activation, assignments and their events, service levels, and message
threads with Visma Amili (API.md "Receivables API"; FIELDS.md sections 9 and 13). Token scope
`receivables:assignments`.

Activation (`/v1/services/receivables`) is an AX path and goes to the AX host; everything else
goes to the Receivables host (config.ApiHosts.receivables). The newer Amili onboarding
(`/v2/services/amili/receivables`, outside the 2023 schema) is in `amili.py`.

Maventa publishes no field schema for assignments, events, service levels or messages. Every
path sits in the table of path helpers below, so that one edit corrects it. Assumed here, to
correct against Maventa's Swagger:
- list filters: `debtor_name`, `created_after`, `created_before`, `closed_after`,
  `closed_before`, `status`; paging `page` / `per_page` with AX's paging headers;
- Assignment fields: `id`, `invoice_id`, `reference_ids`, `status` (`open`, `partially_closed`,
  `closed`), `debtor_name`, `debtor_bid`, `amount`, `open_amount`, `currency`, `due_date`,
  `created_at`, `closed_at`, `events`;
- Event fields: `id`, `assignment_id`, `type`, `amount`, `message`, `created_at`, `seen`;
  company event types `paid`, `credit_note`, `comment`, `due_date_change`, `cancellation`
  (the last two are named only in prose), the new due date as `due_date`;
- overview: `open`, `soon_due`, `overdue` counts;
- service level: `{customer_bid, service_level}`; PATCH sends `{service_level}`;
- thread: `id`, `assignment_id`, `subject`, `flagged`, `unread_count`, `last_message`,
  `last_message_at`; flag is PATCH `{flagged: bool}`;
- message: `id`, `thread_id`, `author_type` (`amili` or `company`), `author_name`, `body`,
  `created_at`, `seen_at`; a reply is POST `{body}` (plus `subject` on an assignment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from .client import Api
from .entities import from_json, list_from_json, query_params
from .errors import refused_here
from .paging import Page, check_per_page, page_of
from .scopes import RECEIVABLES_SCOPE

SCOPE = RECEIVABLES_SCOPE


# The table of endpoints: one helper per path, each named once in the package so that the
# contract reader (tests/contract/client_calls.py) rebuilds it. Methods used, host:
#   PUT GET DELETE  ax           /v1/services/receivables
#   GET             receivables  /v1/assignments, /v1/assignments/overview, /v1/events
#   GET             receivables  /v1/assignments/{assignment_id}
#   GET POST        receivables  /v1/assignments/{assignment_id}/events
#   POST            receivables  /v1/assignments/{assignment_id}/events/{event_id}/seen
#   GET POST        receivables  /v1/assignments/{assignment_id}/messages
#   GET             receivables  /v1/service_levels
#   GET PATCH       receivables  /v1/service_levels/{customer_bid}
#   GET             receivables  /v1/message_threads
#   GET PATCH       receivables  /v1/message_threads/{thread_id}
#   GET POST        receivables  /v1/message_threads/{thread_id}/messages
#   PUT             receivables  /v1/messages/{message_id}/seen
def rcv_activation_v1_path() -> str:
    return "/v1/services/receivables"


def rcv_assignments_path() -> str:
    return "/v1/assignments"


def rcv_overview_path() -> str:
    return "/v1/assignments/overview"


def rcv_events_path() -> str:
    return "/v1/events"


def rcv_assignment_path(assignment_id: str) -> str:
    return f"/v1/assignments/{rcv_quoted(assignment_id)}"


def rcv_assignment_events_path(assignment_id: str) -> str:
    return f"/v1/assignments/{rcv_quoted(assignment_id)}/events"


def rcv_event_seen_path(assignment_id: str, event_id: str) -> str:
    return f"/v1/assignments/{rcv_quoted(assignment_id)}/events/{rcv_quoted(event_id)}/seen"


def rcv_assignment_messages_path(assignment_id: str) -> str:
    return f"/v1/assignments/{rcv_quoted(assignment_id)}/messages"


def rcv_service_levels_path() -> str:
    return "/v1/service_levels"


def rcv_service_level_path(customer_bid: str) -> str:
    return f"/v1/service_levels/{rcv_quoted(customer_bid)}"


def rcv_threads_path() -> str:
    return "/v1/message_threads"


def rcv_thread_path(thread_id: str) -> str:
    return f"/v1/message_threads/{rcv_quoted(thread_id)}"


def rcv_thread_messages_path(thread_id: str) -> str:
    return f"/v1/message_threads/{rcv_quoted(thread_id)}/messages"


def rcv_message_seen_path(message_id: str) -> str:
    return f"/v1/messages/{rcv_quoted(message_id)}/seen"


def rcv_quoted(value: str) -> str:
    return quote(str(value), safe="")


# Values Maventa names (FIELDS.md sections 9 and 13).
ACTIVATION_STATUSES = ("DISABLED", "ACTIVE", "PENDING")
ACCOUNTABLE_PARTIES = ("vfsfi", "company")
ASSIGNMENT_STATUSES = ("open", "partially_closed", "closed")
SERVICE_LEVELS = ("premium", "vip", "service_bypass")
DEFAULT_LEVEL = "default"  # everyone not listed; the API does not list it
EVENT_TYPES = ("comment", "paid", "close", "credit_note", "due_date_change", "cancellation")
COMPANY_EVENT_TYPES = ("comment", "paid", "credit_note", "due_date_change", "cancellation")

# Refusals before sending, as staff read them.
BAD_IBAN = "The IBAN {iban!r} is not valid (its checksum or format is wrong)."
BAD_BIC = "The BIC {bic!r} is not valid (8 or 11 letters and digits)."
MISSING_FIELDS = "Activation needs these fields: {fields}."
BAD_ADDRESS = "The billing address needs country, at least one street line, city and zip code."
BAD_PARTY = "The accountable party must be one of: vfsfi, company."
BAD_LEVEL = "The service level must be one of: premium, vip, service_bypass, default."
BAD_EVENT = "An assignment event must be one of: {types}."
EMPTY_MESSAGE = "A message needs some text."
DUE_DATE_NEEDED = "A due-date change needs the new due date."

_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")


def normalized_iban(iban: str) -> str:
    return re.sub(r"\s+", "", iban or "").upper()


def iban_is_valid(iban: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as numbers, mod 97."""
    value = normalized_iban(iban)
    if not _IBAN.match(value):
        return False
    moved = value[4:] + value[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def bic_is_valid(bic: str) -> bool:
    return bool(_BIC.match((bic or "").strip().upper()))


@dataclass(frozen=True)
class Address:
    country: str = ""
    streets: tuple[str, ...] = ()
    city: str = ""
    zip_code: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "streets": list(self.streets),
            "city": self.city,
            "zip_code": self.zip_code,
        }


@dataclass(frozen=True)
class Note:
    phrase: str = ""
    code: str = ""  # FI, SV or EN


@dataclass(frozen=True)
class CollectionAccount:
    """`vfsfi`: the account and notice text to print on invoices once collection is outsourced."""

    iban: str = ""
    bic: str = ""
    account_number: str = ""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Activation:
    status: str = ""
    iban: str = ""
    bic: str = ""
    bank: str = ""
    contact_person: str = ""
    contact_email: str = ""
    customer_service_email: str = ""
    customer_service_phone_number: str = ""
    contact_phone_number: str = ""
    authorization_email: str = ""
    accountable_party: str = ""
    billing_address: Address = Address()
    vfsfi: CollectionAccount = CollectionAccount()
    # v2 only: where KYC and signing happen when no authorization email is given.
    activation_url: str = ""
    own_invoice_image: bool | None = None
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Event:
    id: str = ""
    assignment_id: str = ""
    type: str = ""
    amount: float | None = None
    message: str = ""
    due_date: str = ""
    created_at: str = ""
    seen: bool = False
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Assignment:
    id: str = ""
    invoice_id: str = ""
    reference_ids: tuple[str, ...] = ()
    status: str = ""
    debtor_name: str = ""
    debtor_bid: str = ""
    amount: float | None = None
    open_amount: float | None = None
    currency: str = ""
    due_date: str = ""
    created_at: str = ""
    closed_at: str = ""
    events: tuple[Event, ...] = ()
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Overview:
    open: int = 0
    soon_due: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class ServiceLevel:
    customer_bid: str = ""
    service_level: str = DEFAULT_LEVEL


@dataclass(frozen=True)
class Message:
    id: str = ""
    thread_id: str = ""
    author_type: str = ""  # amili or company
    author_name: str = ""
    body: str = ""
    created_at: str = ""
    seen_at: str = ""
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Thread:
    id: str = ""
    assignment_id: str = ""
    subject: str = ""
    flagged: bool = False
    unread_count: int = 0
    last_message_at: str = ""
    last_message: Message = Message()
    raw: Any = field(default=None, repr=False, compare=False)


def _read(cls: type, body: Any) -> Any:
    item = from_json(cls, body)
    return _with_raw(item, body) if "raw" in cls.__dataclass_fields__ else item


def _with_raw(item: Any, body: Any) -> Any:
    object.__setattr__(item, "raw", body)
    return item


def _read_many(cls: type, body: Any) -> list:
    return [_read(cls, one) for one in body] if isinstance(body, list) else []


# Activation ------------------------------------------------------------------------------------

REQUIRED_ACTIVATION = (
    "iban",
    "bic",
    "bank",
    "contact_person",
    "contact_email",
    "customer_service_email",
    "contact_phone_number",
    "authorization_email",
)


def activation_payload(
    *,
    iban: str,
    bic: str,
    bank: str,
    contact_person: str,
    contact_email: str,
    customer_service_email: str,
    contact_phone_number: str,
    authorization_email: str,
    billing_address: Address,
    customer_service_phone_number: str = "",
    accountable_party: str = "",
    postal_address: Address | None = None,
    required: tuple[str, ...] = REQUIRED_ACTIVATION,
) -> dict[str, Any]:
    """The PUT body, refused here (`Invalid`) when Maventa would refuse it."""
    payload: dict[str, Any] = {
        "iban": normalized_iban(iban),
        "bic": (bic or "").strip().upper(),
        "bank": bank,
        "contact_person": contact_person,
        "contact_email": contact_email,
        "customer_service_email": customer_service_email,
        "contact_phone_number": contact_phone_number,
        "authorization_email": authorization_email,
    }
    missing = [name for name in required if not str(payload.get(name) or "").strip()]
    if missing:
        message = MISSING_FIELDS.format(fields=", ".join(missing))
        raise refused_here(message, message)
    if not iban_is_valid(iban):
        message = BAD_IBAN.format(iban=iban)
        raise refused_here(message, message)
    if not bic_is_valid(bic):
        message = BAD_BIC.format(bic=bic)
        raise refused_here(message, message)
    address = billing_address
    if not (address.country and address.city and address.zip_code and any(address.streets)):
        raise refused_here(BAD_ADDRESS, BAD_ADDRESS)
    if accountable_party and accountable_party not in ACCOUNTABLE_PARTIES:
        raise refused_here(BAD_PARTY, BAD_PARTY)
    payload["billing_address"] = address.as_json()
    if customer_service_phone_number:
        payload["customer_service_phone_number"] = customer_service_phone_number
    if accountable_party:
        payload["accountable_party"] = accountable_party
    if postal_address is not None:
        payload["postal_address"] = postal_address.as_json()
    return {key: value for key, value in payload.items() if value != ""}


def activate(api: Api, **fields: Any) -> Activation:
    """`PUT /v1/services/receivables` -> 200 ReceivablesService: starts onboarding."""
    payload = activation_payload(**fields)
    body = api.put(
        rcv_activation_v1_path(), json=payload, resource="the receivables service"
    ).body()
    return _read(Activation, body)


def get_activation(api: Api) -> Activation:
    """`GET /v1/services/receivables` -> 200 ReceivablesService (status and `vfsfi`)."""
    body = api.get(rcv_activation_v1_path(), resource="the receivables service").body()
    return _read(Activation, body)


def deactivate(api: Api) -> None:
    """`DELETE /v1/services/receivables` -> 204: the service disabled."""
    api.delete(rcv_activation_v1_path(), resource="the receivables service")


# Assignments and events --------------------------------------------------------------------------


def list_assignments(
    api: Api,
    *,
    status: str = "",
    debtor_name: str = "",
    created_after: date | datetime | str | None = None,
    created_before: date | datetime | str | None = None,
    closed_after: date | datetime | str | None = None,
    closed_before: date | datetime | str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> Page[Assignment]:
    """`GET /v1/assignments` -> 200 Assignment[] (paged; filters assumed, see above)."""
    params = query_params(
        ("status", status),
        ("debtor_name", debtor_name),
        ("created_after", created_after),
        ("created_before", created_before),
        ("closed_after", closed_after),
        ("closed_before", closed_before),
        ("page", page),
        ("per_page", check_per_page(per_page)),
    )
    response = api.get(
        rcv_assignments_path(), api="receivables", params=params, resource="the assignments"
    )
    items = _read_many(Assignment, response.body())
    return page_of(items, response.headers, page=page, per_page=per_page)


def get_assignment(api: Api, *, assignment_id: str) -> Assignment:
    """`GET /v1/assignments/{assignment_id}` -> 200 Assignment with its events."""
    body = api.get(
        rcv_assignment_path(assignment_id), api="receivables", resource="the assignment"
    ).body()
    return _read(Assignment, body)


def assignments_overview(api: Api) -> Overview:
    """`GET /v1/assignments/overview` -> 200: open, soon due and overdue counts."""
    body = api.get(
        rcv_overview_path(), api="receivables", resource="the assignments overview"
    ).body()
    return from_json(Overview, body)


def list_assignment_events(api: Api, *, assignment_id: str) -> list[Event]:
    """`GET /v1/assignments/{assignment_id}/events` -> 200 Event[]."""
    body = api.get(
        rcv_assignment_events_path(assignment_id),
        api="receivables",
        resource="the assignment's events",
    ).body()
    return _read_many(Event, body)


def add_assignment_event(
    api: Api,
    *,
    assignment_id: str,
    type: str,
    amount: float | None = None,
    message: str = "",
    due_date: date | str = "",
) -> Event:
    """`POST /v1/assignments/{assignment_id}/events` -> 201 Event: a direct payment (`paid`),
    a credit note, a due-date change request, a cancellation or a comment."""
    if type not in COMPANY_EVENT_TYPES:
        text = BAD_EVENT.format(types=", ".join(COMPANY_EVENT_TYPES))
        raise refused_here(text, text)
    if type == "comment" and not message.strip():
        raise refused_here(EMPTY_MESSAGE, EMPTY_MESSAGE)
    if type == "due_date_change" and not due_date:
        raise refused_here(DUE_DATE_NEEDED, DUE_DATE_NEEDED)
    payload: dict[str, Any] = {"type": type}
    if amount is not None:
        payload["amount"] = amount
    if message:
        payload["message"] = message
    if due_date:
        payload["due_date"] = due_date.isoformat() if isinstance(due_date, date) else due_date
    body = api.post(
        rcv_assignment_events_path(assignment_id),
        api="receivables",
        json=payload,
        resource="the assignment's events",
    ).body()
    return _read(Event, body)


def mark_event_seen(api: Api, *, assignment_id: str, event_id: str) -> None:
    """`POST /v1/assignments/{assignment_id}/events/{event_id}/seen` -> 204."""
    api.post(
        rcv_event_seen_path(assignment_id, event_id),
        api="receivables",
        resource="the assignment event",
    )


def list_events(
    api: Api,
    *,
    created_after: date | datetime | str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> Page[Event]:
    """`GET /v1/events` -> 200 Event[]: events across all assignments (paged)."""
    params = query_params(
        ("created_after", created_after), ("page", page), ("per_page", check_per_page(per_page))
    )
    response = api.get(
        rcv_events_path(), api="receivables", params=params, resource="the assignment events"
    )
    items = _read_many(Event, response.body())
    return page_of(items, response.headers, page=page, per_page=per_page)


# Service levels ----------------------------------------------------------------------------------


def list_service_levels(api: Api) -> list[ServiceLevel]:
    """`GET /v1/service_levels` -> 200 ServiceLevel[]: special levels only (not `default`)."""
    body = api.get(rcv_service_levels_path(), api="receivables", resource="service levels")
    return list_from_json(ServiceLevel, body.body())


def get_service_level(api: Api, *, customer_bid: str) -> ServiceLevel:
    """`GET /v1/service_levels/{customer_bid}` -> 200 ServiceLevel."""
    body = api.get(
        rcv_service_level_path(customer_bid), api="receivables", resource="the service level"
    ).body()
    level = from_json(ServiceLevel, body)
    return ServiceLevel(
        customer_bid=level.customer_bid or customer_bid,
        service_level=level.service_level or DEFAULT_LEVEL,
    )


def set_service_level(api: Api, *, customer_bid: str, service_level: str) -> ServiceLevel:
    """`PATCH /v1/service_levels/{customer_bid}` -> 200 ServiceLevel."""
    if service_level not in (*SERVICE_LEVELS, DEFAULT_LEVEL):
        raise refused_here(BAD_LEVEL, BAD_LEVEL)
    body = api.patch(
        rcv_service_level_path(customer_bid),
        api="receivables",
        json={"service_level": service_level},
        resource="the service level",
    ).body()
    level = from_json(ServiceLevel, body)
    return ServiceLevel(
        customer_bid=level.customer_bid or customer_bid,
        service_level=level.service_level or service_level,
    )


# Message threads ---------------------------------------------------------------------------------


def list_threads(api: Api, *, page: int = 1, per_page: int = 100) -> Page[Thread]:
    """`GET /v1/message_threads` -> 200 Thread[]: each with its latest message (paged)."""
    params = query_params(("page", page), ("per_page", check_per_page(per_page)))
    response = api.get(
        rcv_threads_path(), api="receivables", params=params, resource="the message threads"
    )
    items = _read_many(Thread, response.body())
    return page_of(items, response.headers, page=page, per_page=per_page)


def get_thread(api: Api, *, thread_id: str) -> Thread:
    """`GET /v1/message_threads/{thread_id}` -> 200 Thread."""
    body = api.get(
        rcv_thread_path(thread_id), api="receivables", resource="the message thread"
    ).body()
    return _read(Thread, body)


def flag_thread(api: Api, *, thread_id: str, flagged: bool = True) -> Thread:
    """`PATCH /v1/message_threads/{thread_id}` -> 200 Thread: flagged or unflagged."""
    body = api.patch(
        rcv_thread_path(thread_id),
        api="receivables",
        json={"flagged": flagged},
        resource="the message thread",
    ).body()
    return _read(Thread, body)


def list_thread_messages(api: Api, *, thread_id: str) -> list[Message]:
    """`GET /v1/message_threads/{thread_id}/messages` -> 200 Message[] (oldest first here)."""
    body = api.get(
        rcv_thread_messages_path(thread_id), api="receivables", resource="the messages"
    ).body()
    return sorted(_read_many(Message, body), key=lambda m: m.created_at)


def reply_to_thread(api: Api, *, thread_id: str, body: str) -> Message:
    """`POST /v1/message_threads/{thread_id}/messages` -> 201 Message."""
    if not body.strip():
        raise refused_here(EMPTY_MESSAGE, EMPTY_MESSAGE)
    answer = api.post(
        rcv_thread_messages_path(thread_id),
        api="receivables",
        json={"body": body},
        resource="the messages",
    ).body()
    return _read(Message, answer)


def list_assignment_messages(api: Api, *, assignment_id: str) -> list[Message]:
    """`GET /v1/assignments/{assignment_id}/messages` -> 200 Message[]."""
    body = api.get(
        rcv_assignment_messages_path(assignment_id),
        api="receivables",
        resource="the assignment's messages",
    ).body()
    return sorted(_read_many(Message, body), key=lambda m: m.created_at)


def write_about_assignment(
    api: Api, *, assignment_id: str, body: str, subject: str = ""
) -> Message:
    """`POST /v1/assignments/{assignment_id}/messages` -> 201 Message (creates the thread if
    there is none)."""
    if not body.strip():
        raise refused_here(EMPTY_MESSAGE, EMPTY_MESSAGE)
    payload = {"body": body, **({"subject": subject} if subject else {})}
    answer = api.post(
        rcv_assignment_messages_path(assignment_id),
        api="receivables",
        json=payload,
        resource="the assignment's messages",
    ).body()
    return _read(Message, answer)


def mark_message_seen(api: Api, *, message_id: str) -> None:
    """`PUT /v1/messages/{message_id}/seen` -> 204."""
    api.put(rcv_message_seen_path(message_id), api="receivables", resource="the message")
