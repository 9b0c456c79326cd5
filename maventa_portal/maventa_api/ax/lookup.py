"""Who can receive what, and how to send to a company (FIELDS.md section 7). Consumer (B2C)
lookup is left out: the portal does no B2C (tests/contract/scope.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..client import Api
from ..entities import from_json, list_from_json, many, query_params
from ..paging import Page, check_per_page, page_of
from ..scopes import LOOKUP_SCOPE

SCOPE = LOOKUP_SCOPE

# GET /v1/lookup/endpoints takes at most 10 business ids (FIELDS.md section 7).
MAX_BUSINESS_IDS = 10


@dataclass(frozen=True)
class ReceiverIdentifier:
    scheme: str = ""
    eaid_name: str = ""  # the address scheme's name, e.g. NO:ORG
    eaid_code: str = ""  # its code, e.g. 0192
    endpoint_id: str = ""


@dataclass(frozen=True)
class ReceiverDocumentType:
    document_type: str = ""
    document_identifier: str = ""
    process_identifier: str = ""


@dataclass(frozen=True)
class Participant:
    id: str = ""
    name: str = ""
    bid: str = ""
    country: str = ""


@dataclass(frozen=True)
class Receiver:
    eia: str = ""  # scheme:id, e.g. 0192:123456789
    identifier: ReceiverIdentifier = ReceiverIdentifier()
    network: str = ""
    operator: str = ""
    document_types: tuple[ReceiverDocumentType, ...] = ()
    participant: Participant = Participant()


@dataclass(frozen=True)
class SendingEndpoint:
    bid: str = ""
    sending: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operator:
    operator_id: str = ""  # what `recipient_operator` takes
    name: str = ""
    country: str = ""


def find_receivers(
    api: Api,
    *,
    network: Iterable[str],
    eia: str = "",
    bid: str = "",
    name: str = "",
    country: Iterable[str] = (),
    document_type: Iterable[str] = (),
    allow_eia_variants: bool | None = None,
    page: int = 1,
    per_page: int = 100,
) -> Page[Receiver]:
    """`GET /v1/lookup/receivers` -> 200 Receiver[], one page: B2B receivers in `network`
    (PEPPOL, INTERNAL, EXTERNAL...)."""
    networks = many(network)
    if not networks:
        raise ValueError("find_receivers needs at least one network.")
    params = query_params(
        ("network[]", networks),
        ("eia", eia),
        ("bid", bid),
        ("name", name),
        ("country[]", many(country)),
        ("document_type[]", many(document_type)),
        ("allow_eia_variants", allow_eia_variants),
        ("page", page),
        ("per_page", check_per_page(per_page)),
    )
    response = api.get("/v1/lookup/receivers", params=params, resource="the receiver lookup")
    items = list_from_json(Receiver, response.body())
    return page_of(items, response.headers, page=page, per_page=per_page)


def sending_endpoints(
    api: Api, *, business_ids: Iterable[str], country: str = "", sending: Iterable[str] = ()
) -> list[SendingEndpoint]:
    """`GET /v1/lookup/endpoints` -> 200: how each company (at most 10) can be sent to."""
    bids = many(business_ids)
    if not 1 <= len(bids) <= MAX_BUSINESS_IDS:
        raise ValueError(f"sending_endpoints takes 1 to {MAX_BUSINESS_IDS} business ids.")
    params = query_params(
        ("business_ids[]", bids), ("sending[]", many(sending)), ("country", country)
    )
    body = api.get("/v1/lookup/endpoints", params=params, resource="the endpoint lookup").body()
    return _one_or_many(body)


def operators(api: Api) -> list[Operator]:
    """`GET /v1/entities/operators` -> 200 Operator[]: the e-invoicing operators known."""
    body = api.get("/v1/entities/operators", resource="the operator list").body()
    return list_from_json(Operator, body)


def _one_or_many(body: Any) -> list[SendingEndpoint]:
    # The schema types one object; one per business id is likely (FIELDS.md section 7).
    if isinstance(body, dict):
        return [from_json(SendingEndpoint, body)]
    return list_from_json(SendingEndpoint, body)
