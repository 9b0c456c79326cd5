"""Under ``/sandbox/`` every error is Maventa's JSON ``APIEntitiesError``, never Django's page.

The gateway answers its own errors in JSON; what it never sees ends here: a path the URLconf
cannot match (a newline in it, say), a body too large to read, a view that raised (Django
has rendered its 500 page and logged the traceback by then). Maventa answers any failure with
the error body of FIELDS.md section 0, so a client reading errors meets the same shape
whatever went wrong. Installed first in ``MIDDLEWARE`` when the sandbox is, so that it sees
every answer, those of the other middleware included.
"""

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

from .responses import error

PREFIX = "/sandbox/"
_CODES = {
    400: "invalid_parameters",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_entity_too_large",
    500: "internal_server_error",
}


class JsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not request.path_info.startswith(PREFIX):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return as_json_error(request, response.status_code)


def as_json_error(request: HttpRequest, status: int) -> HttpResponse:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    message = f"No such resource: {request.path_info}" if status == 404 else phrase
    return error(status, _CODES.get(status, "error"), message)
