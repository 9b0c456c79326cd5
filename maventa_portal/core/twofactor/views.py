"""The staff user's own second factor: set it up, show a code, renew the recovery codes.

Self-service pages: every staff user may use them for their own account and no other, so
they check no permission beyond what ``StaffOnlyMiddleware`` and ``TwoFactorMiddleware``
already require. Pages that show a key or codes are never cached.
"""

from __future__ import annotations

import logging
from base64 import b32encode

import django_otp
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp.plugins.otp_static.models import StaticDevice

from ..audit import Actor, record, recording
from ..audit.record import Outcome
from ..errors import staff_errors, staff_message_of
from ..shortcuts import render_staff_page
from . import services
from .forms import SetupCodeForm, VerifyCodeForm
from .qr import qr_svg

log = logging.getLogger("maventa_portal.security")


def _redirect(name: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name))


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _signed_in_with(request: HttpRequest, device) -> None:
    django_otp.login(request, device)
    # A new session key for the stronger session, as Django's login() does for the password.
    request.session.cycle_key()


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, title: str) -> HttpResponse:
    return render_staff_page(
        request,
        "portal/two_factor/recovery_codes.html",
        {"codes": codes, "continue_url": resolve_url(settings.LOGIN_REDIRECT_URL)},
        title=title,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if services.has_two_factor(user) and not user.is_verified():
        return _redirect("portal:two_factor:verify")
    if services.authenticator_of(user) is not None:
        return _redirect("portal:two_factor:overview")
    form = SetupCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        with (
            staff_errors(form) as outcome,
            recording(Actor.from_request(request), "2fa.enable", target=user),
        ):
            device, codes = services.enable_two_factor(
                user=user, code=form.cleaned_data["otp_token"]
            )
        if outcome.ok:
            _signed_in_with(request, device)
            log.info("Two-factor authentication turned on by %r.", user.get_username())
            return _show_recovery_codes(request, codes, title="Two-factor authentication is on")
        log.warning("Two-factor setup refused for %r: wrong code.", user.get_username())
    device = services.pending_authenticator(user=user)
    secret = b32encode(device.bin_key).decode()
    return render_staff_page(
        request,
        "portal/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": settings.REQUIRE_2FA,
        },
        title="Set up two-factor authentication",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    if not services.has_two_factor(user):
        return _redirect("portal:two_factor:setup")
    form = VerifyCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        with staff_errors(form) as outcome:
            device = services.verify_code(user=user, code=form.cleaned_data["otp_token"])
        if outcome.ok:
            _signed_in_with(request, device)
            _note_verified(request, device)
            return HttpResponseRedirect(next_url)
        reason = staff_message_of(outcome.error)
        record(
            actor=Actor.from_request(request),
            event="2fa.verify",
            target=user,
            outcome=Outcome.REFUSED,
            reason=reason,
        )
        log.warning("Two-factor code refused for %r: %s", user.get_username(), reason)
    return render_staff_page(
        request,
        "portal/two_factor/verify.html",
        {"form": form, "next": next_url},
        title="Two-factor authentication",
    )


def _note_verified(request: HttpRequest, device) -> None:
    user = request.user
    if not isinstance(device, StaticDevice):
        log.info("Two-factor code accepted for %r.", user.get_username())
        return
    left = services.recovery_codes_left(user)
    record(
        actor=Actor.from_request(request),
        event="2fa.verify",
        target=user,
        reason=f"Verified with a recovery code; {left} left.",
    )
    log.warning("Recovery code used by %r; %d left.", user.get_username(), left)


@never_cache
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = services.authenticator_of(user)
    return render_staff_page(
        request,
        "portal/two_factor/overview.html",
        {
            "device": device,
            "codes_left": services.recovery_codes_left(user) if device else 0,
            "required": settings.REQUIRE_2FA,
        },
        title="Two-factor authentication",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    if services.authenticator_of(user) is None:
        return _redirect("portal:two_factor:setup")
    if request.method == "POST":
        with recording(Actor.from_request(request), "2fa.recovery_codes", target=user):
            codes = services.replace_recovery_codes(user=user)
        log.info("New recovery codes made for %r.", user.get_username())
        return _show_recovery_codes(request, codes, title="New recovery codes")
    return render_staff_page(
        request,
        "portal/two_factor/renew_codes.html",
        {"codes_left": services.recovery_codes_left(user)},
        title="New recovery codes",
    )
