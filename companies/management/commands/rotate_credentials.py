"""``manage.py rotate_credentials``: re-encrypts stored keys with the first FIELD_ENCRYPTION_KEY."""

from django.core.management.base import BaseCommand
from django.db import transaction

from companies.models import CompanyCredential, VendorKey
from maventa_portal.core.crypto import rotate


class Command(BaseCommand):
    help = "Re-encrypts every stored API key and vendor key with the newest encryption key."

    def handle(self, *args, **options) -> None:
        count = 0
        with transaction.atomic():
            for credential in CompanyCredential.objects.select_for_update():
                credential.encrypted_api_key = rotate(credential.encrypted_api_key)
                credential.save(update_fields=["encrypted_api_key"])
                count += 1
            for vendor_key in VendorKey.objects.select_for_update():
                vendor_key.encrypted_key = rotate(vendor_key.encrypted_key)
                vendor_key.save(update_fields=["encrypted_key"])
                count += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} stored keys."))
