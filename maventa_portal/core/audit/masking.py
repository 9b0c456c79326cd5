"""How django-auditlog shows a changed secret field (password hashes, one-time-password keys)."""

SECRET_CHANGED = "(secret, changed)"  # noqa: S105 - a placeholder, not a secret


def mask_secret(value: str) -> str:
    # auditlog's default keeps half of the value; a password hash or key must show nothing.
    return SECRET_CHANGED
