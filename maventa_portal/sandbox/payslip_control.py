"""Control API for Payslip (Direct Print), mounted by ``control.py`` under ``/sandbox/_control/``:

- ``GET payslip`` / ``PUT payslip`` -> 200 ``{status_step_seconds, fail_next}``: how far apart
  a package's statuses come (2 s by default; 0: SENT at once) and how many of the next packages
  end in ERROR (0); keys left out go back to their defaults. ``POST reset`` does the same.
- ``POST payslip/accounts`` ``{company_id, username?, password?}`` -> 201 ``{company_id,
  username, password}``: the company's Direct Print account, as ``/register`` would make it
  (made anew, or its user name and password replaced).
- ``GET payslip/packages?company_id=`` -> 200 ``[{filename, status, ...}]``: the company's
  packages with their status now, newest first.
"""

import uuid

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import payslip_state as state
from .models import Company, PrintAccount, PrintPackage
from .models.payslip import USERNAME_MAX
from .responses import BadRequest, bad_request, by_method, json_body, json_response
from .views.payslip import as_status


def reset() -> None:
    state.settings.reset()


def get_config(request: HttpRequest) -> HttpResponse:
    return json_response(state.settings.snapshot())


def put_config(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        step = data.get("status_step_seconds", state.DEFAULT_STEP_SECONDS)
        fail_next = data.get("fail_next", 0)
        if isinstance(fail_next, bool):
            fail_next = int(fail_next)
        if (
            not isinstance(step, int | float)
            or isinstance(step, bool)
            or not 0 <= step <= 86400
            or not isinstance(fail_next, int)
            or not 0 <= fail_next <= 1000
        ):
            raise BadRequest(
                "status_step_seconds must be 0 to 86400 and fail_next a count from 0 to 1000"
            )
    except BadRequest as exc:
        return bad_request(exc)
    state.settings.configure(status_step_seconds=float(step), fail_next=fail_next)
    return json_response(state.settings.snapshot())


def _company(raw: object) -> Company:
    try:
        return Company.objects.get(pk=uuid.UUID(str(raw)))
    except (ValueError, Company.DoesNotExist):
        raise BadRequest(f"No such company: {raw}") from None


def create_account(request: HttpRequest) -> HttpResponse:
    try:
        data = json_body(request)
        company = _company(data.get("company_id"))
        username, password = str(data.get("username") or ""), str(data.get("password") or "")
        if username and (
            len(username) > USERNAME_MAX or not state.USERNAME_PATTERN.fullmatch(username)
        ):
            raise BadRequest(f"username must be up to {USERNAME_MAX} letters, digits, '.-_'")
        if password and not state.PASSWORD_MIN <= len(password) <= state.PASSWORD_MAX:
            raise BadRequest(f"password must be {state.PASSWORD_MIN} to {state.PASSWORD_MAX} long")
        taken = PrintAccount.objects.filter(username=username).exclude(company=company)
        if username and taken.exists():
            raise BadRequest("username is taken")
    except BadRequest as exc:
        return bad_request(exc)
    account, password = state.create_account(company, username, password)
    body = {"company_id": str(company.pk), "username": account.username, "password": password}
    return json_response(body, status=201)


def packages(request: HttpRequest) -> HttpResponse:
    try:
        company = _company(request.GET.get("company_id"))
    except BadRequest as exc:
        return bad_request(exc)
    found = PrintPackage.objects.filter(account__company=company).order_by("-received_at")
    return json_response([as_status(package) for package in found])


urlpatterns = [
    path("payslip", csrf_exempt(by_method(GET=get_config, PUT=put_config))),
    path("payslip/accounts", csrf_exempt(by_method(POST=create_account))),
    path("payslip/packages", csrf_exempt(by_method(GET=packages))),
]
