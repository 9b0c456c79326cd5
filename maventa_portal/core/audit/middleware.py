"""django-auditlog's request hook, counting the client's address as the rest of the portal does.

The built-in sandbox stands in for Maventa's servers: its requests come from the portal's own
client, change no audited model, and skip the hook (it connects a signal per request).
"""

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse

from ..net import client_ip

NOT_STAFF_REQUESTS = ("/sandbox/",)


class AuditActorMiddleware(AuditlogMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(NOT_STAFF_REQUESTS):
            return self.get_response(request)
        return super().__call__(request)

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        # auditlog believes the first X-Forwarded-For entry, which the client writes itself.
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
