"""OP Laskulaina's side of the sandbox outside the API, mounted by ``control.py`` under
``/sandbox/_control/``:

- ``GET op_credit/sign/<token>`` -> 200 an HTML page with a "Sign" button: the service's
  ``activation_url``, standing in for OP's signing of the agreement. ``POST`` the same
  (what the button does) -> 200, the service ACTIVE. An unknown token -> 404.
- ``POST op_credit/activate`` ``{company_id}`` -> 200 the service, ACTIVE at once with the
  offer's terms accepted and default details: for the demo and tests that need it running.
- ``POST op_credit/repayments`` ``{company_id, amount}`` -> 201 ``{id, amount}``: a customer's
  payment into OP's account that repays the credit.
"""

import uuid
from html import escape

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import op_credit as credit
from .models import Company, OpInvoiceCredit
from .responses import BadRequest, bad_request, by_method, error, json_body, json_response
from .views.ax_op_credit import sign_url

DEFAULT_DETAILS = {
    "contact_email": "talous@example.com",
    "iban": "FI2112345600000785",
    "bic": "NDEAFIHH",
    "bank": "Nordea",
}
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>OP Laskulaina agreement</title></head><body>
<h1>OP Laskulaina agreement (sandbox)</h1><p>{text}</p>{form}</body></html>"""
FORM = '<form method="post"><button type="submit" id="sign">Sign</button></form>'


def _page(text: str, form: str = "", status: int = 200) -> HttpResponse:
    return HttpResponse(PAGE.format(text=escape(text), form=form), status=status)


def sign_page(request: HttpRequest, token: str) -> HttpResponse:
    found = OpInvoiceCredit.objects.filter(sign_token=token).select_related("company").first()
    if found is None:
        return _page("No agreement waits for signing at this address.", status=404)
    if request.method == "POST":
        found = credit.sign(token)
    if found.status == OpInvoiceCredit.Status.ACTIVE:
        return _page(f"Signed: OP Laskulaina is active for {found.company.name}.")
    return _page(f"{found.company.name} is asked to sign the agreement.", FORM)


def _company(data: dict) -> Company:
    try:
        return Company.objects.get(pk=uuid.UUID(str(data.get("company_id"))))
    except (ValueError, Company.DoesNotExist):
        raise BadRequest(f"No such company: {data.get('company_id')}") from None


def activate(request: HttpRequest) -> HttpResponse:
    try:
        company = _company(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    service = credit.activate(company, DEFAULT_DETAILS)
    service.status, service.signed_at = OpInvoiceCredit.Status.ACTIVE, timezone.now()
    service.terms = dict(credit.OFFER)
    service.save()
    return json_response(credit.as_service(service, sign_url(request, service.sign_token)))


def repayment(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        company = _company(data)
        amount = credit.parse_amount(data.get("amount"))
    except BadRequest as exc:
        return bad_request(exc)
    if credit.service_of(company) is None:
        return error(404, credit.NOT_ENABLED, "The OP Laskulaina service is not enabled")
    entry = credit.repay(company, amount)
    return json_response({"id": str(entry.pk), "amount": float(entry.amount)}, status=201)


urlpatterns = [
    path(
        "op_credit/sign/<str:token>",
        csrf_exempt(by_method(GET=sign_page, POST=sign_page)),
        name="op_credit_sign",
    ),
    path("op_credit/activate", csrf_exempt(by_method(POST=activate))),
    path("op_credit/repayments", csrf_exempt(by_method(POST=repayment))),
]
