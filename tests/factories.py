"""Model factories shared by every test package."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from factory.django import DjangoModelFactory

DEFAULT_PASSWORD = "factory-password-1"  # noqa: S105 - test users only


class UserFactory(DjangoModelFactory[AbstractUser]):
    """A plain user; ``UserFactory(staff=True)`` or ``(superuser=True)`` for portal access."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)
