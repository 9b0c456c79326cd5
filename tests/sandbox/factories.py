"""Rows of the sandbox made directly, for states the HTTP API cannot reach quickly."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from maventa_portal.sandbox.models import Company, User, Vendor, digest


def finnish_bid(n: int) -> str:
    """The n-th valid Finnish business id (seven digits, hyphen, modulo-11 check digit)."""
    weights = (7, 9, 10, 5, 8, 4, 2)
    base = 1000000 + n
    while True:
        digits = f"{base:07d}"
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"
        base += 1


class VendorFactory(DjangoModelFactory[Vendor]):
    class Meta:
        model = Vendor

    api_key_digest = factory.Sequence(lambda n: digest(f"vendor-key-{n}"))
    name = factory.Sequence(lambda n: f"Vendor {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    api_key_digest = factory.Sequence(lambda n: digest(f"user-key-{n}"))
    vendor = factory.SubFactory(VendorFactory)


class CompanyFactory(DjangoModelFactory[Company]):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Yritys {n} Oy")
    bid = factory.Sequence(lambda n: finnish_bid(n * 7))
    country = Company.Country.FI
    email = "info@example.com"

    class Params:
        verified = factory.Trait(company_state=Company.State.VERIFIED)
