"""The newer Amili onboarding: ``/v2/services/amili/receivables`` (FIELDS.md 13; what is
assumed of it is in ``amili_v2``).

- ``PUT`` the v1 body, ``authorization_email`` optional -> 200 the state, PENDING with an
  ``activation_url`` (the sandbox's KYC page) unless ACTIVE already; 400 ``invalid_parameters``
  naming each problem, over-long values included.
- ``GET`` -> 200 the state: the v1 fields, ``status``, ``activation_url``, ``own_invoice_image``.
- ``PATCH`` ``{own_invoice_image: bool}`` -> 200 the state; 404 ``receivables_not_enabled``
  before any PUT.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .. import amili_v2
from ..auth import bearer
from ..responses import BadRequest, bad_request, error, json_body, json_response

NOT_STARTED = "The receivables service has not been set up for this company"


def _kyc_url(request: HttpRequest):
    return lambda token: request.build_absolute_uri(
        reverse("sandbox:amili_kyc", kwargs={"token": token})
    )


@bearer
def put_service(request: HttpRequest) -> HttpResponse:
    try:
        settings = amili_v2.parse(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    service = amili_v2.start(request.sandbox_company, settings, _kyc_url(request))
    return json_response(amili_v2.as_v2(service))


@bearer
def get_service(request: HttpRequest) -> HttpResponse:
    service = amili_v2.service_of(request.sandbox_company)
    return json_response(amili_v2.as_v2(service))


@bearer
def patch_service(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        value = data.get("own_invoice_image")
        if not isinstance(value, bool):
            raise BadRequest("Invalid parameters", ["own_invoice_image must be true or false"])
    except BadRequest as exc:
        return bad_request(exc)
    service = amili_v2.set_own_invoice_image(request.sandbox_company, value)
    if service is None:
        return error(404, "receivables_not_enabled", NOT_STARTED)
    return json_response(amili_v2.as_v2(service))


@bearer
def get_v1_service(request: HttpRequest) -> HttpResponse:
    """``GET /v1/services/receivables``, without the v2 part the settings keep."""
    return json_response(amili_v2.as_v1(amili_v2.service_of(request.sandbox_company)))
