import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from maventa_portal.core.crypto import UnreadableSecret
from tests.factories import CompanyCredentialFactory

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
