"""OP Laskulaina (invoice credit): ``/v1/services/op_invoice_credit`` and below (FIELDS.md 9).

- ``PUT`` ``{contact_email, iban, bic, bank}`` -> 200 OPInvoiceCredit (PENDING, to be signed at
  its ``activation_url``); 400 ``invalid_parameters`` naming each problem.
- ``GET`` -> 200 OPInvoiceCredit; 404 ``op_invoice_credit_not_enabled`` before any PUT.
- ``GET offer`` -> 200 Terms; ``GET settings`` -> 200 ``{offer, current?}``; ``POST settings``
  (Terms, all required) -> 201 without a body.
- ``GET available_credit`` -> 200 AvailableCredit; 404 not enabled unless ACTIVE.
- ``POST withdrawal`` ``{amount}`` -> 201; 422 ``op_invoice_credit_insufficient_credit``.
- ``POST direct_payment`` ``{invoice_id}`` -> 201; 404 ``invoice_not_found``; 422 when it is
  already paid directly.
- ``GET account_statement?day=`` -> 200 camt.053 XML; 404
  ``op_invoice_credit_no_account_statement_found`` for a day without entries.

What the service does is in ``op_credit``; the statement in ``op_credit_statement``.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .. import op_credit as credit
from ..auth import bearer
from ..op_credit_statement import entries_of, statement
from ..responses import BadRequest, bad_request, error, json_body, json_response


def _created() -> HttpResponse:
    return HttpResponse(status=201)


def _refused(exc: credit.Refusal) -> HttpResponse:
    return error(exc.status, exc.code, exc.message)


def sign_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("sandbox:op_credit_sign", kwargs={"token": token}))


@bearer
def put_service(request: HttpRequest) -> HttpResponse:
    try:
        details = credit.parse_activation(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    service = credit.activate(request.sandbox_company, details)
    return json_response(credit.as_service(service, sign_url(request, service.sign_token)))


@bearer
def get_service(request: HttpRequest) -> HttpResponse:
    service = credit.service_of(request.sandbox_company)
    if service is None:
        return _refused(credit.not_enabled(None))
    return json_response(credit.as_service(service, sign_url(request, service.sign_token)))


@bearer
def get_offer(request: HttpRequest) -> HttpResponse:
    return json_response(credit.OFFER)


@bearer
def get_settings(request: HttpRequest) -> HttpResponse:
    return json_response(credit.as_settings(credit.service_of(request.sandbox_company)))


@bearer
def post_settings(request: HttpRequest) -> HttpResponse:
    try:
        terms = credit.parse_terms(json_body(request))
        credit.accept_terms(request.sandbox_company, terms)
    except BadRequest as exc:
        return bad_request(exc)
    except credit.Refusal as exc:
        return _refused(exc)
    return _created()


@bearer
def get_available_credit(request: HttpRequest) -> HttpResponse:
    try:
        return json_response(credit.balance(request.sandbox_company))
    except credit.Refusal as exc:
        return _refused(exc)


@bearer
def post_withdrawal(request: HttpRequest) -> HttpResponse:
    try:
        amount = credit.parse_amount(json_body(request).get("amount"))
        credit.withdraw(request.sandbox_company, amount)
    except BadRequest as exc:
        return bad_request(exc)
    except credit.Refusal as exc:
        return _refused(exc)
    return _created()


@bearer
def post_direct_payment(request: HttpRequest) -> HttpResponse:
    try:
        invoice_id = credit.parse_invoice_id(json_body(request).get("invoice_id"))
        credit.pay_directly(request.sandbox_company, invoice_id)
    except BadRequest as exc:
        return bad_request(exc)
    except credit.Refusal as exc:
        return _refused(exc)
    return _created()


@bearer
def get_account_statement(request: HttpRequest) -> HttpResponse:
    company = request.sandbox_company
    try:
        day = credit.parse_statement_day(request.GET.get("day"))
        if credit.service_of(company) is None:
            raise credit.not_enabled(None)
    except BadRequest as exc:
        return bad_request(exc)
    except credit.Refusal as exc:
        return _refused(exc)
    entries = entries_of(company, day)
    if not entries:
        return error(404, credit.NO_STATEMENT, f"No account statement found for {day}")
    return HttpResponse(statement(company, day, entries), content_type="application/xml")
