"""Files of invoices and documents: stored through Django's storage API, checksummed."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile


def checksum(data: bytes) -> str:
    """SHA-256, the checksum the portal records and compares files by."""
    return hashlib.sha256(data).hexdigest()


def store(field: FieldFile, name: str, data: bytes) -> str:
    """Saves ``data`` into the file field (the model is saved by the caller); its checksum."""
    field.save(name, ContentFile(data), save=False)
    return checksum(data)
