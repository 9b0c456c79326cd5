"""Model factories shared by every test package."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from factory.django import DjangoModelFactory

DEFAULT_PASSWORD = "factory-password-1"  # noqa: S105 - test users only


class UserFactory(DjangoModelFactory[AbstractUser]):
    """A plain user; ``UserFactory(staff=True)`` or ``(superuser=True)`` for portal access.

    ``skip_postgeneration_save``: the role is a group membership, nothing to save again.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(staff=True, role=OPERATORS)``: a member of that portal role."""
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=extracted))


def valid_bid(country: str, n: int) -> str:
    """A business id that passes the portal's checks for `country`, distinct for each n."""
    from companies.bids import example_bid

    return example_bid(country, n)


class CompanyFactory(DjangoModelFactory):
    """A Finnish company known to Maventa; ``verified=True`` for one past KYC."""

    class Meta:
        model = "companies.Company"

    name = factory.Sequence(lambda n: f"Company {n} Oy")
    country = "FI"
    bid = factory.LazyAttributeSequence(lambda c, n: valid_bid(c.country, n * 7))
    maventa_id = factory.Faker("uuid4", cast_to=None)
    email = factory.Sequence(lambda n: f"company{n}@example.com")
    company_state = "UNVERIFIED"

    class Params:
        verified = factory.Trait(company_state="VERIFIED")


class CompanyCredentialFactory(DjangoModelFactory):
    """``CompanyCredentialFactory(company=c, api_key="...")`` stores the key encrypted."""

    class Meta:
        model = "companies.CompanyCredential"
        exclude = ("api_key",)

    company = factory.SubFactory(CompanyFactory)
    api_key = "factory-api-key"
    encrypted_api_key = factory.LazyAttribute(lambda o: _encrypt(o.api_key))


def _encrypt(plain: str) -> str:
    from maventa_portal.core.crypto import encrypt

    return encrypt(plain)


class NetworkProfileFactory(DjangoModelFactory):
    class Meta:
        model = "companies.NetworkProfile"

    company = factory.SubFactory(CompanyFactory)
    network = "PEPPOL"
    profiles = factory.LazyFunction(lambda: ["INVOICE_AND_CREDIT_NOTE"])
    maventa_id = factory.Faker("uuid4")
    status = "active"


class TOTPDeviceFactory(DjangoModelFactory):
    """A confirmed authenticator app of a staff user; codes come from ``totp(device.bin_key)``."""

    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory(UserFactory, staff=True)
    name = "authenticator"
    confirmed = True


class PrintAccountFactory(DjangoModelFactory):
    """A company registered for Direct Print; ``PrintAccountFactory(secret="...")`` encrypts it."""

    class Meta:
        model = "exchange.PrintAccount"
        exclude = ("secret",)

    company = factory.SubFactory(CompanyFactory)
    scheme = "company"
    secret = ""
    encrypted_secret = factory.LazyAttribute(lambda o: _encrypt(o.secret) if o.secret else "")


class PrintBatchFactory(DjangoModelFactory):
    class Meta:
        model = "exchange.PrintBatch"

    company = factory.SubFactory(CompanyFactory)
    filename = factory.Sequence(lambda n: f"print-factory-{n}.zip")
    checksum = factory.Sequence(lambda n: f"{n:040x}")
    size = 1234
    letters = 2
    document_type = "PDFXML"
    letter_class = "priority"
    status = "ACCEPTED"
    request_key = factory.Sequence(lambda n: f"factory-request-{n}")


class SentInvoiceFactory(DjangoModelFactory):
    """An invoice a company sent through Maventa; ``direction="RECEIVED"`` for one it received."""

    class Meta:
        model = "exchange.Invoice"

    company = factory.SubFactory(CompanyFactory)
    direction = "SENT"
    maventa_id = factory.Faker("uuid4", cast_to=None)
    number = factory.Sequence(lambda n: f"INV-{n}")
    status = "DELIVERED"


class MessageThreadFactory(DjangoModelFactory):
    class Meta:
        model = "receivables.MessageThread"

    company = factory.SubFactory(CompanyFactory)
    maventa_id = factory.Sequence(lambda n: f"thread-factory-{n}")
    subject = factory.Sequence(lambda n: f"Conversation {n}")
    unread_count = 0


class ReceivablesActivationFactory(DjangoModelFactory):
    class Meta:
        model = "receivables.ReceivablesActivation"

    company = factory.SubFactory(CompanyFactory)
    status = "ACTIVE"


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = "exchange.Document"

    company = factory.SubFactory(CompanyFactory)
    direction = "SENT"
    type = "ORDER"
    number = factory.Sequence(lambda n: f"DOC-{n}")
    transmission_id = factory.Sequence(lambda n: f"factory-transmission-{n}")
    status = "PROCESSING"
    status_changed_at = factory.Faker("past_datetime", tzinfo=dt.UTC)


class WebhookEventFactory(DjangoModelFactory):
    class Meta:
        model = "exchange.WebhookEvent"

    dedupe_key = factory.Sequence(lambda n: f"factory-event-{n}")
    name = "DOCUMENT_RECEIVED"
    family = "DOCUMENTS"
    company = factory.SubFactory(CompanyFactory)
    body = "{}"
    state = "PROCESSED"


class BulkRunFactory(DjangoModelFactory):
    class Meta:
        model = "core.BulkRun"

    kind = "companies.register_profiles"
    title = factory.Sequence(lambda n: f"Bulk run {n}")


class BulkItemFactory(DjangoModelFactory):
    class Meta:
        model = "core.BulkItem"

    run = factory.SubFactory(BulkRunFactory)
    kind = factory.SelfAttribute("run.kind")
    position = factory.Sequence(int)
    label = factory.Sequence(lambda n: f"Item {n}")
    status = "done"
