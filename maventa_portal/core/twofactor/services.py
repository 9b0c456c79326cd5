"""The second factor: one authenticator app (TOTP) and ten single-use recovery codes per user.

A user's confirmed ``TOTPDevice`` is their authenticator; their ``StaticDevice`` named
``RECOVERY`` holds the recovery codes. A code of six digits is checked against the
authenticator and anything else against the recovery codes, never one code against every
device: each miss counts against the device it was tried on, and django-otp's throttling
(each miss doubles the wait before the next try) would then slow devices never used.

Misses are recorded outside the transaction that checked the code, so that the throttle
survives the refusal. Codes and keys leave these functions only to be shown to their owner.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..errors import Refused

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
RECOVERY_CODE_COUNT = 10

WRONG_SETUP_CODE = (
    "That code is not right. Enter the code your app shows now; if it keeps failing, check "
    "that the phone's clock is set automatically."
)
WRONG_CODE = (
    "That code is not right. Enter the code your authenticator app shows now, or one of your "
    "unused recovery codes."
)
THROTTLED = (
    "Too many wrong codes: checking is paused. Try again in {seconds} seconds; each further "
    "wrong code doubles the wait."
)
ALREADY_ON = "Two-factor authentication is already on for this account."
SETUP_GONE = "This setup has expired. Scan the new QR code below and enter its code."

_TOTP_CODE = re.compile(r"[0-9]{6}")
_SEPARATORS = re.compile(r"[\s-]+")


def authenticator_of(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def has_two_factor(user: Any) -> bool:
    """True once the user has any confirmed device: from then on every login needs a code."""
    return user_has_device(user, confirmed=True)


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY, device__confirmed=True
    ).count()


def pending_authenticator(*, user: Any) -> TOTPDevice:
    """The device being set up, kept across reloads so that a scanned QR code stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def enable_two_factor(*, user: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the pending authenticator with a code it made; returns it and new recovery codes."""
    if authenticator_of(user) is not None:
        raise Refused(ALREADY_ON)
    error = None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            error = SETUP_GONE
        else:
            error = _check(device, _normalise(code), WRONG_SETUP_CODE)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _replace_recovery_codes(user)
    if error is not None:
        raise Refused(error)
    return device, codes


def verify_code(*, user: Any, code: str) -> Device:
    """The device that accepts ``code`` (a used recovery code is gone); Refused otherwise."""
    code = _normalise(code)
    with transaction.atomic():
        if _TOTP_CODE.fullmatch(code):
            devices = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk")
        else:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True).filter(
                name=RECOVERY
            )
        device = devices.select_for_update().first()
        error = WRONG_CODE if device is None else _check(device, code, WRONG_CODE)
    if error is not None:
        raise Refused(error)
    return device


def replace_recovery_codes(*, user: Any) -> list[str]:
    """New recovery codes for a user with an authenticator; the old ones stop working."""
    with transaction.atomic():
        return _replace_recovery_codes(user)


def _replace_recovery_codes(user: Any) -> list[str]:
    # The device is kept, only its tokens change: a session verified with a recovery code
    # stays verified.
    device, _ = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def _check(device: TOTPDevice | StaticDevice, code: str, wrong: str) -> str | None:
    """None when the device accepts the code, else the message saying why not."""
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        return THROTTLED.format(seconds=_seconds_until((extra or {}).get("locked_until")))
    return None if device.verify_token(code) else wrong


def _seconds_until(moment: Any) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def _normalise(code: str) -> str:
    # Recovery codes are shown in lower case; people copy them with spaces or dashes.
    return _SEPARATORS.sub("", code).lower()
