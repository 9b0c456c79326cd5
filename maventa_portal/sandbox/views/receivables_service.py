"""Receivables activation: ``/v1/services/receivables`` (API.md "Receivables API"; FIELDS.md 9).

- ``PUT`` the settings -> 200 ReceivablesService (ACTIVE at once in the sandbox); 400
  ``invalid_parameters`` naming each problem (required fields, IBAN checksum, BIC format,
  emails, ``accountable_party``, the billing address's fields).
- ``GET`` -> 200 the settings with ``status`` and, unless disabled, the ``vfsfi`` block.
- ``DELETE`` -> 204, the service disabled (its settings kept, as a later GET shows them).

Served on both the AX root (where the schema has it) and the Receivables root.
"""

from django.http import HttpRequest, HttpResponse

from .. import receivables_state as state
from ..auth import bearer
from ..receivables_fields import as_service, parse_activation
from ..responses import BadRequest, bad_request, json_body, json_response, no_content


@bearer
def put_service(request: HttpRequest) -> HttpResponse:
    try:
        settings = parse_activation(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    return json_response(as_service(state.activate(request.sandbox_company, settings)))


@bearer
def get_service(request: HttpRequest) -> HttpResponse:
    return json_response(as_service(state.service_of(request.sandbox_company)))


@bearer
def delete_service(request: HttpRequest) -> HttpResponse:
    state.disable(request.sandbox_company)
    return no_content()
