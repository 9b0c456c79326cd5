"""``manage.py rotate_credentials``: re-encrypts every stored secret with the first
FIELD_ENCRYPTION_KEY.

A model names the fields it keeps encrypted in ``ENCRYPTED_FIELDS``; every installed model is
looked at, so an app adding secrets (vendor keys, company keys, Direct Print passwords) is
rotated without this command knowing it, and without core importing the apps.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from maventa_portal.core.crypto import rotate


def models_with_secrets():
    return [model for model in apps.get_models() if getattr(model, "ENCRYPTED_FIELDS", ())]


class Command(BaseCommand):
    help = "Re-encrypts every stored secret (API, vendor and print keys) with the newest key."

    def handle(self, *args, **options) -> None:
        count = 0
        with transaction.atomic():
            for model in models_with_secrets():
                fields = list(model.ENCRYPTED_FIELDS)
                for row in model._base_manager.select_for_update().only("pk", *fields):
                    for name in fields:
                        if value := getattr(row, name):
                            setattr(row, name, rotate(value))
                            count += 1
                    row.save(update_fields=fields)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} stored secrets."))
