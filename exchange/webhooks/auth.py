"""Whether a delivery carries the webhook secret (API.md "Webhooks", destination auth).

Maventa sends what the subscription's destination holds: ``?secret=`` in the URL or the
password of basic auth in it. Every accepted secret is compared in constant time, and all of
them always, so that timing tells nothing about which one, or how much of one, matched. The
previous secret counts only until ``MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL``; an empty setting
never matches (an empty secret would open the endpoint to anyone).
"""

from __future__ import annotations

import base64
import binascii
import hmac

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def accepted_secrets() -> list[bytes]:
    secrets = [settings.MAVENTA_WEBHOOK_SECRET]
    until = settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL
    if until is not None and timezone.now() < until:
        secrets.append(settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET)
    return [secret.encode() for secret in secrets if secret]


def basic_auth_password(request: HttpRequest) -> str:
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ""
    _, colon, password = decoded.partition(":")
    return password if colon else ""


def is_authentic(request: HttpRequest) -> bool:
    presented = [
        value.encode()
        for value in (request.GET.get("secret", ""), basic_auth_password(request))
        if value
    ]
    matches = [
        hmac.compare_digest(candidate, secret)
        for candidate in presented
        for secret in accepted_secrets()
    ]
    return any(matches)
