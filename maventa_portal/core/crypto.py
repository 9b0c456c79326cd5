"""Encryption at rest for stored API keys (Fernet, keys from FIELD_ENCRYPTION_KEY).

FIELD_ENCRYPTION_KEY holds one key or several separated by commas, newest first: new values
are encrypted with the first, and every listed key still decrypts. To rotate, put the new
key first, run `manage.py rotate_credentials`, then drop the old key.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNREADABLE = "The stored key cannot be decrypted with FIELD_ENCRYPTION_KEY; replace it."


class UnreadableSecret(Exception):
    pass


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more Fernet keys separated by commas."
        ) from exc


def encrypt(plain: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UnreadableSecret(UNREADABLE) from exc


def rotate(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).rotate(token.encode()).decode()
