"""Which models django-auditlog follows outside the apps: accounts, groups, logins, devices.

Each app registers its own models in its ``AppConfig.ready``. Secret fields are masked
(``masking.mask_secret``) so that an entry says a secret changed, never what it was.
"""

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def register_core_models() -> None:
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    auditlog.register(
        get_user_model(),
        m2m_fields={"groups", "user_permissions"},
        exclude_fields=["last_login"],
        mask_fields=["password"],
    )
    auditlog.register(Group, m2m_fields={"permissions"})
    # Releasing a lockout is deleting its attempt row: who released whom, and when.
    auditlog.register(AccessAttempt, exclude_fields=["get_data", "post_data"])
    auditlog.register(
        TOTPDevice,
        exclude_fields=[
            "last_t",
            "drift",
            "throttling_failure_timestamp",
            "throttling_failure_count",
            "last_used_at",
        ],
        mask_fields=["key"],
    )
    auditlog.register(
        StaticDevice,
        exclude_fields=["throttling_failure_timestamp", "throttling_failure_count", "last_used_at"],
    )
