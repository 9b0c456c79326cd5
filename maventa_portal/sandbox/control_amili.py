"""Control API for the newer Amili onboarding, mounted by ``control.py`` under
``/sandbox/_control/``: what its KYC page does, without the page.

- ``POST amili/decide`` ``{company_id, decision}`` (``approve`` or ``reject``) -> 200 the v2
  state, the outcome announced to the company's subscribers as the page does; 400 for an
  unknown company or decision, 409 ``onboarding_decided`` when the onboarding is not pending.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import amili_v2
from .control_receivables import _get
from .models import Company
from .responses import BadRequest, bad_request, by_method, error, json_body, json_response

DECISIONS = {"approve": True, "reject": False}


def decide(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        company = _get(Company, data.get("company_id"), "company")
        approve = (
            DECISIONS.get(data.get("decision")) if isinstance(data.get("decision"), str) else None
        )
        if approve is None:
            raise BadRequest("decision must be approve or reject")
    except BadRequest as exc:
        return bad_request(exc)
    service = amili_v2.service_of(company)
    if service is None:
        return error(409, "onboarding_decided", "No onboarding was started for this company")
    try:
        service = amili_v2.decide(service, approve)
    except amili_v2.NotPending as exc:
        return error(409, "onboarding_decided", f"The onboarding is {exc} already")
    return json_response(amili_v2.as_v2(service))


urlpatterns = [path("amili/decide", csrf_exempt(by_method(POST=decide)))]
