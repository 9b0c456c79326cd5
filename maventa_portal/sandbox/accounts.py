"""Who exists in the imitated Maventa: vendor keys, operators, users and companies.

The partner's own vendor key and operator credentials (settings ``MAVENTA_VENDOR_API_KEY``,
``MAVENTA_OPERATOR_ID``, ``MAVENTA_OPERATOR_SECRET``) are always accepted: the sandbox plays the
Maventa that issued them, so their rows are created the first time they are presented.
"""

import hmac
import re
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from .models import Company, Operator, User, Vendor, digest
from .responses import BadRequest

BID_CONFLICT = "A company with business ID {bid} is already registered in {country}"


class BidConflict(Exception):
    """POST /v1/companies for a bid and country that already exist answers 422."""


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def find_vendor(api_key: str) -> Vendor | None:
    if not api_key:
        return None
    if _same(api_key, settings.MAVENTA_VENDOR_API_KEY):
        vendor, _ = Vendor.objects.get_or_create(
            api_key_digest=digest(api_key), defaults={"name": "Partner (from settings)"}
        )
        return vendor
    return Vendor.objects.filter(api_key_digest=digest(api_key)).first()


def partner_vendor() -> Vendor:
    vendor = find_vendor(settings.MAVENTA_VENDOR_API_KEY)
    assert vendor is not None  # noqa: S101 - the settings key always resolves
    return vendor


def find_operator(operator_id: str, secret: str) -> Operator | None:
    if not operator_id or not secret:
        return None
    if _same(operator_id, settings.MAVENTA_OPERATOR_ID) and _same(
        secret, settings.MAVENTA_OPERATOR_SECRET
    ):
        operator, _ = Operator.objects.get_or_create(
            operator_id=operator_id, defaults={"secret_digest": digest(secret)}
        )
        return operator
    operator = Operator.objects.filter(operator_id=operator_id).first()
    if operator and hmac.compare_digest(operator.secret_digest, digest(secret)):
        return operator
    return None


def find_user(api_key: str) -> User | None:
    if not api_key:
        return None
    return User.objects.filter(api_key_digest=digest(api_key)).first()


def find_company(company_id: str) -> Company | None:
    try:
        return Company.objects.filter(pk=uuid.UUID(company_id)).first()
    except (ValueError, AttributeError, TypeError):
        return None


def create_vendor(*, api_key: str, name: str = "") -> tuple[Vendor, bool]:
    return Vendor.objects.get_or_create(api_key_digest=digest(api_key), defaults={"name": name})


def create_operator(*, operator_id: str, secret: str) -> tuple[Operator, bool]:
    return Operator.objects.update_or_create(
        operator_id=operator_id, defaults={"secret_digest": digest(secret)}
    )


def create_user(
    *, vendor: Vendor, email: str, first_name: str = "", last_name: str = ""
) -> tuple[User, str]:
    """Returns the user and its API key, which is shown this once and stored only as a digest."""
    api_key = str(uuid.uuid4())
    user = User.objects.create(
        vendor=vendor,
        email=email,
        first_name=first_name,
        last_name=last_name,
        api_key_digest=digest(api_key),
    )
    return user, api_key


def register_company(*, vendor: Vendor, user: User, fields: dict[str, Any]) -> Company:
    """Creates the company, makes ``user`` its user and links ``vendor`` to it."""
    fields = {**fields, **derived_identifiers(fields)}
    try:
        with transaction.atomic():
            if Company.objects.filter(bid=fields["bid"], country=fields["country"]).exists():
                raise BidConflict(BID_CONFLICT.format(**fields))
            company = Company.objects.create(**fields)
            company.users.add(user)
            company.vendors.add(vendor)
    except IntegrityError as exc:
        # Two registrations of one bid raced past the check: the constraint decides.
        raise BidConflict(BID_CONFLICT.format(**fields)) from exc
    return company


def derived_identifiers(fields: dict[str, Any]) -> dict[str, str]:
    """VAT number and Finnish e-invoice address (0037 + business id digits, API.md)."""
    bid, country = fields["bid"], fields["country"]
    digits = re.sub(r"\D", "", bid)
    vat = "" if fields.get("no_vat", True) else bid
    eia = ""
    if country == Company.Country.FI and len(digits) == 8:
        vat = vat or f"FI{digits}"
        eia = f"0037{digits}"
    return {"vat": vat, "eia": eia}


def finnish_bid_is_valid(bid: str) -> bool:
    """Y-tunnus: seven digits, a hyphen and a modulo-11 check digit."""
    match = re.fullmatch(r"(\d{7})-(\d)", bid)
    if not match:
        return False
    weights = (7, 9, 10, 5, 8, 4, 2)
    remainder = sum(int(d) * w for d, w in zip(match[1], weights, strict=True)) % 11
    if remainder == 1:
        return False
    return int(match[2]) == (0 if remainder == 0 else 11 - remainder)


_REQUIRED = ("name", "bid", "no_vat", "address1", "post_code", "post_office", "city")
_OPTIONAL = ("address2", "state")


def _boolean(value: str | None) -> bool | None:
    lowered = (value or "").strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    return None


def clean_company_fields(data: Any) -> dict[str, Any]:
    """Validates POST /v1/companies fields (FIELDS.md section 2); BadRequest lists every problem."""
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for name in (*_REQUIRED, "country", "email"):
        if not (data.get(name) or "").strip():
            problems.append(f"{name} is missing")
    for name in ("name", "bid", "address1", "post_code", "post_office", "city", *_OPTIONAL):
        fields[name] = (data.get(name) or "").strip()
    if fields["name"] and len(fields["name"]) < 3:
        problems.append("name must be at least 3 characters")
    no_vat = _boolean(data.get("no_vat"))
    if data.get("no_vat") and no_vat is None:
        problems.append("no_vat must be true or false")
    fields["no_vat"] = no_vat if no_vat is not None else True
    duetto = _boolean(data.get("activate_duetto"))
    if data.get("activate_duetto") and duetto is None:
        problems.append("activate_duetto must be true or false")
    fields["activate_duetto"] = True if duetto is None else duetto
    country = (data.get("country") or "").strip()
    if country and country not in Company.Country.values:
        problems.append(f"country must be one of {', '.join(Company.Country.values)}")
    fields["country"] = country
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append("email is invalid")
    fields["email"] = email
    problems += _bid_problems(fields)
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return fields


def _bid_problems(fields: dict[str, Any]) -> list[str]:
    bid, country = fields["bid"], fields["country"]
    if not bid or country not in Company.Country.values:
        return []
    if not fields["no_vat"]:
        if not bid.upper().startswith(country):
            return [f"bid is not a {country} VAT number; send no_vat=true for a business id"]
        return []
    if country == Company.Country.FI and not finnish_bid_is_valid(bid):
        return ["bid is not a valid Finnish business ID (1234567-8)"]
    return []
