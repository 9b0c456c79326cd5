"""Logins, failures and lockouts in the security log: the username and the client's address.

Connected by the core app's ``ready``. Django hands failure receivers its credentials with
the password already masked; only the username is taken from them all the same.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ..net import client_ip

log = logging.getLogger("maventa_portal.security")


def _address(request) -> str:
    return (client_ip(request) if request is not None else "") or "unknown address"


@receiver(user_logged_in, dispatch_uid="security_log_login")
def log_login(sender, request, user, **kwargs) -> None:
    log.info("Login of %r from %s.", user.get_username(), _address(request))


@receiver(user_logged_out, dispatch_uid="security_log_logout")
def log_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        log.info("Logout of %r from %s.", user.get_username(), _address(request))


@receiver(user_login_failed, dispatch_uid="security_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD, "")
    log.warning("Failed login for %r from %s.", username, _address(request))


@receiver(user_locked_out, dispatch_uid="security_log_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    log.warning(
        "Login locked for %r from %s after repeated failures.", username, ip_address or "unknown"
    )
