"""The client's address, as every part of the portal counts it (audit entries, login lockout).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appends the address it saw to
``X-Forwarded-For``; the entry the outermost trusted proxy wrote is the client's. Entries
further left were written by the client itself and are never believed.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    return forwarded[-count] if len(forwarded) >= count else remote
