"""django-auditlog's request hook, counting the client's address as the rest of the portal does."""

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from ..net import client_ip


class AuditActorMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        # auditlog believes the first X-Forwarded-For entry, which the client writes itself.
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
