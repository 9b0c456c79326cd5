"""AX lookup (FIELDS.md section 7): who receives what, and through which operator.

- ``GET /v1/lookup/receivers`` -> 200 LookupEntryReceiver[] with the paging headers;
  ``network[]`` required (PEPPOL, INTERNAL, EXTERNAL), ``eia`` (the full ``scheme:identifier``;
  with ``allow_eia_variants`` the identifier alone, under any scheme, also matches), ``bid``,
  ``name`` (contained, any case), ``country[]``, ``document_type[]``, ``page``, ``per_page``
  (100, at most 100). Receivers are the sandbox's companies with active VISMA (INTERNAL) or
  PEPPOL registrations, and the fixed participants of ``directory``.
- ``GET /v1/lookup/endpoints`` -> 200 Endpoint ``{bid, sending}``: ``business_ids[]`` required
  (at most 10), ``sending[]`` (``invoice`` only), ``country``. The schema answers one object,
  so the first business id is answered; ``sending`` lists the routes an invoice to it can take
  (``einvoice`` when it receives e-invoices, ``print`` where Maventa prints).
- ``GET /v1/entities/operators`` -> 200 Operator[].
"""

import re

from django.http import HttpRequest, HttpResponse

from .. import directory, params, routing
from ..auth import bearer
from ..paging import page_params, paginate, with_headers
from ..responses import json_response
from .exchange_common import exchange

NETWORKS = ("PEPPOL", "INTERNAL", "EXTERNAL")
TRUE = ("true", "1", "yes")


def _bid(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def _matches(p: directory.Participant, request: HttpRequest, variants: bool) -> bool:
    eia = request.GET.get("eia", "").strip()
    if eia:
        wanted = directory.normalise(eia)
        same = p.eia == wanted or (
            variants and directory.identifier(p.eia) == directory.identifier(wanted)
        )
        if not same:
            return False
    if request.GET.get("bid") and _bid(p.bid) != _bid(request.GET["bid"]):
        return False
    name = request.GET.get("name", "").strip().lower()
    if name and name not in p.name.lower():
        return False
    countries = [c.upper() for c in params.listed(request, "country")]
    if countries and p.country not in countries:
        return False
    kinds = params.listed(request, "document_type")
    return not kinds or bool(p.document_types & set(kinds))


@bearer
@exchange
def receivers(request: HttpRequest) -> HttpResponse:
    networks = params.listed(request, "network")
    problems = [] if networks else ["network is missing (network[]=PEPPOL, INTERNAL or EXTERNAL)"]
    for network in networks:
        params.one_of(network, NETWORKS, "network", problems)
    variants = request.GET.get("allow_eia_variants", "").lower()
    if variants and variants not in (*TRUE, "false", "0", "no"):
        problems.append("allow_eia_variants must be true or false")
    params.raise_if(problems)
    page, per_page = page_params(request, default_per_page=100)
    found = [
        p
        for p in directory.all_participants()
        if p.network in networks and _matches(p, request, variants in TRUE)
    ]
    shown, headers = paginate(request, found, page, per_page)
    return with_headers(json_response([directory.as_receiver(p) for p in shown]), headers)


@bearer
@exchange
def endpoints(request: HttpRequest) -> HttpResponse:
    bids = params.listed(request, "business_ids")
    problems = [] if bids else ["business_ids is missing"]
    if len(bids) > 10:
        problems.append("business_ids: at most 10")
    for kind in params.listed(request, "sending"):
        params.one_of(kind, ("invoice",), "sending", problems)
    country = request.GET.get("country", "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        problems.append("country must be a two-letter code")
    params.raise_if(problems)
    bid = bids[0]
    known = [
        p
        for p in directory.all_participants()
        if _bid(p.bid) == _bid(bid) and (not country or p.country == country)
    ]
    sending = ["einvoice"] if any("INVOICE" in p.document_types for p in known) else []
    where = country or (known[0].country if known else request.sandbox_company.country)
    if where in routing.PRINT_COUNTRIES:
        sending.append("print")
    return json_response({"bid": bid, "sending": sending})


@bearer
@exchange
def operators(request: HttpRequest) -> HttpResponse:
    body = [{"operator_id": o, "name": n, "country": c} for o, n, c in directory.OPERATORS]
    return json_response(body)
