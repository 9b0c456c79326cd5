"""The Payslip API (API.md "Payslip (Direct Print)", FIELDS.md section 11), under
``/sandbox/payslip``. Every call is a form (``application/x-www-form-urlencoded``) with header
credentials: ``USERNAME`` + ``USERPW`` of a Direct Print account, or ``COMPANY-UUID`` +
``USER-API-KEY`` of a Maventa account (its company verified). Missing or wrong credentials
answer 401, credentials without access 403 (JSON error bodies); content Maventa would take
but refuse answers 200 with a text starting ``ERROR:``, as Maventa does.

- ``POST /register`` (company headers only) ``company_name, business_id, contact_email,
  contact_phone?, username?, password?`` -> 200 JSON ``{status: "OK", message, username,
  password?}`` (``password`` only when generated here, this once). Registering again updates
  the contact fields (and the password, when given) and answers the same user name.
- ``POST /input_public`` (FIELDS.md section 11; the company must have registered) -> 200
  ``OK: <filename> received, <n> letters`` (text), or ``ERROR: <why>``: not form-encoded, a
  field missing or too long, ``filename`` not ``.zip``, ``file`` not base64, ``hash`` not the
  SHA-1 of the decoded zip, ``zipHash`` not equal to it, an unknown ``sw_api_key``, an enum
  or boolean out of range, a zip that does not open or holds no letters, or a file name the
  account has sent before.
- ``POST /file_status`` ``filename`` -> 200 JSON ``{filename, status, final, letters,
  message, received_at, history: [{status, at}]}``; 404 for a name the account never sent.
  Statuses and their timing: ``payslip_state``.
"""

from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse

from .. import payslip_state as state
from ..responses import error, isoformat, json_response

FORM = "application/x-www-form-urlencoded"
# A package travels base64 in the form; Maventa states no limit, this keeps the sandbox sane.
MAX_BODY = 40 * 1024 * 1024
MAX_FIELDS = 30


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _denied(exc: state.Denied) -> HttpResponse:
    code = "unauthorized" if exc.status == 401 else "forbidden"
    return error(exc.status, code, exc.message)


def _form(request: HttpRequest) -> dict[str, str]:
    """The form fields (the first of a repeated name), read without Django's 2.5 MB cap."""
    if request.content_type != FORM:
        raise state.Refused(f"the body must be {FORM}")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise state.Refused(f"the request is larger than {MAX_BODY // (1024 * 1024)} MB")
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise state.Refused(f"the request is larger than {MAX_BODY // (1024 * 1024)} MB")
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise state.Refused("the form cannot be read") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        form.setdefault(name, value)
    return form


def _handle(request: HttpRequest, handler: Any) -> HttpResponse:
    try:
        who = state.caller(request.headers)
        return handler(who, _form(request))
    except state.Denied as exc:
        return _denied(exc)
    except state.Refused as exc:
        return _text(exc.text)


def register(request: HttpRequest) -> HttpResponse:
    def answer(who: state.Caller, form: dict[str, str]) -> HttpResponse:
        account, generated, new = state.register(who, form)
        body = {
            "status": "OK",
            "message": "Direct Print registered" if new else "Direct Print already registered",
            "username": account.username,
        }
        if generated:
            body["password"] = generated
        return json_response(body)

    return _handle(request, answer)


def input_public(request: HttpRequest) -> HttpResponse:
    def answer(who: state.Caller, form: dict[str, str]) -> HttpResponse:
        package = state.take_package(state.registered(who), form)
        letters = f"{package.letters} letter{'' if package.letters == 1 else 's'}"
        return _text(f"OK: {package.filename} received, {letters}")

    return _handle(request, answer)


def file_status(request: HttpRequest) -> HttpResponse:
    def answer(who: state.Caller, form: dict[str, str]) -> HttpResponse:
        account = state.registered(who)
        filename = state.text(form, "filename", required=True)
        package = account.packages.filter(filename=filename).first()
        if package is None:
            return error(404, "not_found", "No package of this name")
        return json_response(as_status(package))

    return _handle(request, answer)


def as_status(package: Any) -> dict[str, Any]:
    reached = state.history(package)
    status = reached[-1][0]
    return {
        "filename": package.filename,
        "status": status,
        "final": status in (state.SENT, state.ERROR),
        "letters": package.letters,
        "message": state.MESSAGES[status],
        "received_at": isoformat(package.received_at),
        "history": [{"status": name, "at": isoformat(at)} for name, at in reached],
    }
