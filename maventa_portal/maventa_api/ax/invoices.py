"""Invoices: send, list, read, download, mark and reroute (API.md "Invoices"; FIELDS.md 5).

Fraud reports on invoices are in `reports`. A send is a POST that may arrive without an answer
(AmbiguousOutcome): give it your own `uuid`, and look that up before sending again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from ..client import Api
from ..entities import from_json, list_from_json, many, query_params
from ..errors import refused_here
from ..files import ACCEPT_ANY, Attachment, Download, download_of, multipart, zip_invoice
from ..paging import Page, check_per_page, page_of
from ..scopes import INVOICE_SCOPES

SCOPE = INVOICE_SCOPES

# The schema's values (FIELDS.md section 5); webhooks say more (DELIVERY_CONFIRMED...), the
# invoice itself only these.
INVOICE_STATUSES = ("PENDING", "DELIVERED", "FAILED")
DIRECTIONS = ("RECEIVED", "SENT")
RETURN_FORMATS = (
    "VISMAXML60",
    "PEPPOLBIS30",
    "SIUBL20",
    "VISMAUBL30",
    "FINVOICE30",
    "TEAPPS30",
    "ORIGINAL_IMAGE",
    "GENERATED_IMAGE",
    "ORIGINAL_OR_GENERATED_IMAGE",
)
INVOICE_EVENT_STATES = ("CREATED", "HANDLED")
# Each route's body (FIELDS.md section 5, "Reroute"): the fields it needs, then the optional.
REROUTE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "einvoice": (("recipient_eia", "recipient_operator"), ()),
    "email": (("recipient_email",), ()),
    "print": (
        (
            "recipient_name",
            "recipient_address1",
            "recipient_post_code",
            "recipient_post_office",
            "recipient_country",
        ),
        ("recipient_address2", "recipient_state"),
    ),
}
UNKNOWN_ROUTE = "Maventa reroutes by {routes} only, not by {route!r}."
REROUTE_MISSING = "Rerouting by {route} needs {fields}."
REROUTE_UNKNOWN_FIELDS = "Rerouting by {route} takes no {fields}."


@dataclass(frozen=True)
class InvoiceParty:
    """The sender (`operator` stays empty) or the recipient of an invoice."""

    eia: str = ""
    bid: str = ""
    name: str = ""
    country: str = ""
    operator: str = ""


@dataclass(frozen=True)
class InvoiceFile:
    id: str = ""
    filename: str = ""
    type: str = ""
    mimetype: str = ""
    href: str = ""


@dataclass(frozen=True)
class InvoiceAction:
    type: str = ""
    happened_at: str = ""
    channel: str = ""
    message: str = ""


@dataclass(frozen=True)
class Invoice:
    id: str = ""
    status: str = ""
    reference: str = ""
    number: str = ""
    sender: InvoiceParty = InvoiceParty()
    recipient: InvoiceParty = InvoiceParty()
    received_at: str = ""
    created_at: str = ""
    date: str = ""
    date_due: str = ""
    source_format: str = ""
    sum: float = 0.0
    sum_tax: float = 0.0  # the total with tax, not the tax (FIELDS.md section 5)
    currency: str = ""
    origin: str = ""
    destination: str = ""
    comment: str = ""
    files: tuple[InvoiceFile, ...] = ()
    actions: tuple[InvoiceAction, ...] = ()
    revision: dict[str, Any] = field(default_factory=dict)
    virtual_barcode: str = ""
    # Maventa's JSON as it came, for staff and for fields added after this client.
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def invoice_from_json(body: Any) -> Invoice:
    return from_json(Invoice, {**body, "raw": body} if isinstance(body, dict) else {})


def _invoice_path(invoice_id: str) -> str:
    return f"/v1/invoices/{quote(invoice_id, safe='')}"


def send_invoice(
    api: Api,
    *,
    file: bytes,
    filename: str,
    format: str = "",  # Maventa's field name
    recipient_eia: str = "",
    recipient_email: str = "",
    recipient_operator: str = "",
    disabled_routes: Iterable[str] = (),
    sender_comment: str = "",
    uuid: str = "",
    lang: str = "",
    pdf: bytes | None = None,
    attachments: Sequence[Attachment | tuple[str, bytes]] = (),
) -> Invoice:
    """`POST /v1/invoices` (multipart) -> 201 Invoice. With `pdf` or `attachments`, the file
    goes as the public client's `invoice.zip` (see files.zip_invoice); `format` empty: detected."""
    if pdf or attachments:
        file, filename = zip_invoice(file, pdf, attachments), "invoice.zip"
    parts = multipart(
        [("file", filename, file)],
        [
            ("format", format),
            ("recipient_eia", recipient_eia),
            ("recipient_email", recipient_email),
            ("recipient_operator", recipient_operator),
            ("disabled_routes", tuple(many(disabled_routes))),
            ("sender_comment", sender_comment),
            ("uuid", uuid),
            ("lang", lang),
        ],
    )
    body = api.post("/v1/invoices", files=parts, resource="invoice sending").body()
    return invoice_from_json(body)


def list_invoices(
    api: Api,
    *,
    direction: str = "RECEIVED",
    status: Iterable[str] = (),
    ids: Iterable[str] = (),
    number: str = "",
    reference: str = "",
    received_at_start: datetime | date | str | None = None,
    received_at_end: datetime | date | str | None = None,
    created_at_start: datetime | date | str | None = None,
    created_at_end: datetime | date | str | None = None,
    sort: str | Iterable[str] = "",
    page: int = 1,
    per_page: int = 100,
) -> Page[Invoice]:
    """`GET /v1/invoices` -> 200 Invoice[], one page (paging headers; walk with paging.pages).
    `sort`: `received_at` or `-received_at` only."""
    params = query_params(
        ("direction", direction),
        ("status[]", many(status)),
        ("ids[]", many(ids)),
        ("number", number),
        ("reference", reference),
        ("received_at_start", received_at_start),
        ("received_at_end", received_at_end),
        ("created_at_start", created_at_start),
        ("created_at_end", created_at_end),
        ("sort[]", many(sort)),
        ("page", page),
        ("per_page", check_per_page(per_page)),
    )
    response = api.get("/v1/invoices", params=params, resource="the invoices")
    body = response.body()
    items = [invoice_from_json(item) for item in body] if isinstance(body, list) else []
    return page_of(items, response.headers, page=page, per_page=per_page)


def get_invoice(api: Api, *, invoice_id: str) -> Invoice:
    """`GET /v1/invoices/{id}` -> 200 Invoice (with its files and actions)."""
    return invoice_from_json(api.get(_invoice_path(invoice_id), resource="the invoice").body())


def download_invoice(api: Api, *, invoice_id: str, return_format: str) -> Download:
    """`GET /v1/invoices/{id}?return_format=` -> 200: the invoice converted (XML) or its image
    (PDF; `..._IMAGE` formats), as bytes with their media type."""
    if not return_format:
        raise ValueError(f"A return_format is needed, one of {', '.join(RETURN_FORMATS)}.")
    response = api.get(
        _invoice_path(invoice_id),
        params={"return_format": return_format},
        headers=ACCEPT_ANY,
        resource="the invoice file",
    )
    return download_of(response)


def invoice_actions(
    api: Api,
    *,
    invoice_id: str,
    type: Iterable[str] = (),  # Maventa's parameter name
) -> list[InvoiceAction]:
    """`GET /v1/invoices/{id}/actions` -> 200 InvoiceAction[]: the invoice's history."""
    body = api.get(
        f"{_invoice_path(invoice_id)}/actions",
        params=query_params(("type[]", many(type))),
        resource="the invoice's history",
    ).body()
    return list_from_json(InvoiceAction, body)


def download_file(api: Api, *, invoice_id: str, file_id: str) -> Download:
    """`GET /v1/invoices/{id}/files/{file_id}` -> 200: one of the invoice's files, as bytes."""
    response = api.get(
        f"{_invoice_path(invoice_id)}/files/{quote(file_id, safe='')}",
        headers=ACCEPT_ANY,
        resource="the invoice file",
    )
    return download_of(response)


def mark_invoice_event(api: Api, *, invoice_id: str, state: str) -> None:
    """`PATCH /v1/invoices/{id}/invoice_events` -> 204: a received event CREATED or HANDLED."""
    if state not in INVOICE_EVENT_STATES:
        raise ValueError(f"state must be one of {', '.join(INVOICE_EVENT_STATES)}, not {state!r}.")
    api.patch(
        f"{_invoice_path(invoice_id)}/invoice_events",
        json={"state": state},
        resource="the invoice's events",
    )


def reroute(api: Api, *, invoice_id: str, route: str, **fields: str) -> None:
    """`PUT /v1/invoices/{id}/reroute/{einvoice|email|print}` -> 200: send a sent invoice again
    by another route. The fields each route needs are checked before anything is sent."""
    payload = reroute_payload(route, fields)
    resource = "the invoice's rerouting"
    # One call per route: each is its own operation in Maventa's schema.
    if route == "einvoice":
        api.put(f"{_invoice_path(invoice_id)}/reroute/einvoice", json=payload, resource=resource)
    elif route == "email":
        api.put(f"{_invoice_path(invoice_id)}/reroute/email", json=payload, resource=resource)
    else:
        api.put(f"{_invoice_path(invoice_id)}/reroute/print", json=payload, resource=resource)


def reroute_payload(route: str, fields: dict[str, Any]) -> dict[str, str]:
    """The body of a reroute by `route`, or Invalid naming what is missing or unknown."""
    if route not in REROUTE_FIELDS:
        message = UNKNOWN_ROUTE.format(routes=", ".join(REROUTE_FIELDS), route=route)
        raise refused_here(f"reroute by {route!r}", message)
    needed, optional = REROUTE_FIELDS[route]
    given = {key: str(value).strip() for key, value in fields.items() if value not in (None, "")}
    unknown = sorted(set(given) - set(needed) - set(optional))
    if unknown:
        message = REROUTE_UNKNOWN_FIELDS.format(route=route, fields=", ".join(unknown))
        raise refused_here(message, message)
    missing = [name for name in needed if not given.get(name)]
    if missing:
        message = REROUTE_MISSING.format(route=route, fields=", ".join(missing))
        raise refused_here(message, message)
    return given
