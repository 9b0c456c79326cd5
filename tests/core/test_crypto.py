import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from companies.models import UnsavedCompany, VendorKey
from maventa_portal.core.crypto import UnreadableSecret
from tests.factories import CompanyCredentialFactory, PrintAccountFactory

pytestmark = pytest.mark.django_db


def test_key_is_stored_encrypted_and_reads_back():
    credential = CompanyCredentialFactory(api_key="plain-api-key")

    assert "plain-api-key" not in credential.encrypted_api_key
    assert credential.get_api_key() == "plain-api-key"
    assert "plain-api-key" not in repr(credential)


def test_rotation_moves_keys_to_the_new_encryption_key(settings):
    credential = CompanyCredentialFactory(api_key="plain-api-key")
    old_key = settings.FIELD_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"

    call_command("rotate_credentials", stdout=None)

    settings.FIELD_ENCRYPTION_KEY = new_key
    credential.refresh_from_db()
    assert credential.get_api_key() == "plain-api-key"


def test_a_key_from_a_lost_encryption_key_says_so(settings):
    credential = CompanyCredentialFactory(api_key="plain-api-key")
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()

    with pytest.raises(UnreadableSecret):
        credential.get_api_key()


def test_rotation_reaches_every_stored_secret_of_every_app(settings):
    """Vendor keys, kept keys of unsaved companies and Direct Print passwords too, not only the
    company keys: a secret rotation missed is unreadable once the old key is dropped."""
    credential = CompanyCredentialFactory(api_key="company-key")
    vendor = VendorKey(name="Partner")
    vendor.set_key("vendor-key")
    vendor.save()
    kept = UnsavedCompany(name="Kept Oy", bid="1234567-1", country="FI", reason="test")
    kept.set_api_key("kept-key")
    kept.save()
    printing = PrintAccountFactory(scheme="account", username="dp1", secret="print-password")  # noqa: S106 - a test value
    old_key = settings.FIELD_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"

    call_command("rotate_credentials", stdout=None)

    settings.FIELD_ENCRYPTION_KEY = new_key
    for row in (credential, vendor, kept, printing):
        row.refresh_from_db()
    assert credential.get_api_key() == "company-key"
    assert vendor.get_key() == "vendor-key"
    assert kept.get_api_key() == "kept-key"
    assert printing.get_secret() == "print-password"
