"""Bringing companies into the portal: create on Maventa, link an existing one, or a CSV of both.

Business ids are checked before any call. Calls to Maventa happen outside transactions;
what they return is stored in one short transaction afterwards.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from maventa_portal import maventa
from maventa_portal.maventa_api import (
    CompanyCredentials,
    Invalid,
    MaventaError,
    NotFound,
    Unauthorized,
)
from maventa_portal.maventa_api.ax import companies as ax_companies

from ..bids import finnish_eia, normalise_bid
from ..models import Company, CompanyCredential, VendorKey

log = logging.getLogger(__name__)

# Maventa creates companies in these countries only (FIELDS.md, POST /v1/companies).
CREATION_COUNTRIES = ("FI", "SE", "NO", "DK", "NL")

ALREADY_IN_PORTAL = "{name} ({bid}, {country}) is already in the portal."
CREATION_COUNTRY = (
    "Maventa creates companies in {countries} only; link an existing {country} company instead."
)
LINK_REFUSED = "Maventa did not accept this company id and API key together."
LINK_UNKNOWN = "Maventa knows no company with this id (or the key gives no access to it)."
BAD_UUID = "The Maventa company id must be a UUID such as 74700284-d794-4fdd-a2ae-d72c3589f7a2."
CREATE_REFUSED = "Maventa refused to create the company: {reason}"
CSV_MISSING_COLUMNS = "The CSV file lacks the columns: {columns}."
CSV_TOO_MANY_ROWS = "The CSV file has more than {limit} rows; split it."
CSV_NOT_TEXT = "The file is not a UTF-8 CSV file."
FIELD_REQUIRED = "Maventa needs this to create the company."
NAME_TOO_SHORT = "Maventa needs a name of at least 3 characters."
CSV_MAX_ROWS = 1000
CSV_REQUIRED_COLUMNS = ("name", "bid", "country")


def _vendor_api_key(vendor_key: VendorKey | None) -> str:
    return vendor_key.get_key() if vendor_key else settings.MAVENTA_VENDOR_API_KEY


def check_new_company(*, name: str, bid: str, country: str) -> str:
    """Validates what can be validated locally; returns the normalised bid."""
    country = country.upper()
    try:
        bid = normalise_bid(bid, country)
    except ValidationError as exc:
        raise ValidationError({"bid": exc.messages}) from exc
    if Company.objects.filter(country=country, bid=bid).exists():
        raise ValidationError(ALREADY_IN_PORTAL.format(name=name, bid=bid, country=country))
    return bid


def create_company(
    *,
    name: str,
    bid: str,
    country: str,
    email: str,
    address1: str,
    post_code: str,
    post_office: str,
    city: str,
    vendor_key: VendorKey | None = None,
    user=None,
) -> Company:
    """Creates the company on Maventa (POST /v1/users, then POST /v1/companies) and stores it."""
    country = country.upper()
    if country not in CREATION_COUNTRIES:
        raise ValidationError(
            {
                "country": CREATION_COUNTRY.format(
                    countries=", ".join(CREATION_COUNTRIES), country=country
                )
            }
        )
    required = {
        "name": name,
        "email": email,
        "address1": address1,
        "post_code": post_code,
        "post_office": post_office,
        "city": city,
    }
    missing = {field: FIELD_REQUIRED for field, value in required.items() if not value.strip()}
    if missing:
        raise ValidationError(missing)
    if len(name.strip()) < 3:
        raise ValidationError({"name": NAME_TOO_SHORT})
    bid = check_new_company(name=name, bid=bid, country=country)
    vendor_api_key = _vendor_api_key(vendor_key)
    public = maventa.get_client().public()
    try:
        user_api_key = ax_companies.create_user(public, vendor_api_key=vendor_api_key, email=email)
        maventa_id = ax_companies.create_company(
            public,
            vendor_api_key=vendor_api_key,
            user_api_key=user_api_key,
            name=name,
            bid=bid,
            # Our bids are business ids, not VAT numbers: skip Maventa's VAT check.
            no_vat=True,
            address1=address1,
            post_code=post_code,
            post_office=post_office,
            city=city,
            country=country,
            email=email,
        )
    except Invalid as exc:
        raise ValidationError(CREATE_REFUSED.format(reason=exc.staff_message)) from exc
    company = Company(
        name=name,
        bid=bid,
        country=country,
        maventa_id=uuid.UUID(maventa_id),
        eia=finnish_eia(bid) if country == "FI" else "",
        email=email,
        address1=address1,
        post_code=post_code,
        post_office=post_office,
        city=city,
        company_state=Company.State.UNVERIFIED,
        state_changed_at=timezone.now(),
        vendor_key=vendor_key,
    )
    with transaction.atomic():
        company.full_clean()
        company.save()
        _store_key(company, user_api_key, user)
    log.info("Created company %s on Maventa as %s", company.bid, company.maventa_id)
    return company


def link_company(
    *, maventa_id: str, api_key: str, vendor_key: VendorKey | None = None, user=None
) -> Company:
    """Links an existing Maventa company: its id and key must yield a token that sees it."""
    try:
        company_uuid = uuid.UUID(str(maventa_id).strip())
    except ValueError as exc:
        raise ValidationError({"maventa_id": BAD_UUID}) from exc
    credentials = CompanyCredentials(
        company_id=str(company_uuid),
        api_key=api_key.strip(),
        vendor_api_key=_vendor_api_key(vendor_key),
    )
    api = maventa.get_client().company(credentials)
    try:
        session = ax_companies.current(api)
        authorization = ax_companies.authorization_status(api)
    except Unauthorized as exc:
        raise ValidationError(LINK_REFUSED) from exc
    except NotFound as exc:
        raise ValidationError(LINK_UNKNOWN) from exc
    party = session.company
    if party is None or party.id.lower() != str(company_uuid):
        raise ValidationError(LINK_REFUSED)
    country = (party.country or "").upper()
    bid = party.bid
    try:
        bid = normalise_bid(party.bid, country)
    except ValidationError:
        log.warning("Maventa company %s has a bid we cannot normalise; kept as given", company_uuid)
    clash = Company.objects.filter(country=country, bid=bid).exclude(maventa_id=company_uuid)
    if clash.exists():
        raise ValidationError(ALREADY_IN_PORTAL.format(name=party.name, bid=bid, country=country))
    with transaction.atomic():
        company = Company.objects.filter(maventa_id=company_uuid).first() or Company(
            maventa_id=company_uuid
        )
        company.name = party.name or company.name or bid
        company.bid = bid
        company.country = country
        company.vendor_key = vendor_key
        if country == "FI" and not company.eia:
            company.eia = finnish_eia(bid)
        company.set_state(authorization.company_state)
        company.auth_state = authorization.auth_state
        company.state_checked_at = timezone.now()
        company.full_clean(validate_unique=False)
        company.save()
        _store_key(company, credentials.api_key, user)
    return company


def replace_api_key(*, company: Company, api_key: str, user=None) -> None:
    """Checks the new key against Maventa first: a wrong key must not replace a working one."""
    credentials = CompanyCredentials(
        company_id=str(company.maventa_id),
        api_key=api_key.strip(),
        vendor_api_key=_vendor_api_key(company.vendor_key),
    )
    try:
        ax_companies.current(maventa.get_client().company(credentials))
    except (Unauthorized, NotFound) as exc:
        raise ValidationError(LINK_REFUSED) from exc
    with transaction.atomic():
        _store_key(company, credentials.api_key, user)


def _store_key(company: Company, api_key: str, user) -> None:
    credential = CompanyCredential.objects.filter(company=company).first() or CompanyCredential(
        company=company
    )
    credential.set_api_key(api_key)
    credential.set_by = user if getattr(user, "pk", None) else None
    credential.save()


@dataclass(frozen=True)
class RowResult:
    line: int
    outcome: str  # "created", "linked" or "refused"
    name: str
    message: str
    company: Company | None = None


def import_companies_csv(*, data: bytes, user=None) -> list[RowResult]:
    """One row per company: with maventa_id and api_key it is linked, otherwise created."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(CSV_NOT_TEXT) from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    missing = [c for c in CSV_REQUIRED_COLUMNS if c not in columns]
    if missing and not {"maventa_id", "api_key"} <= columns:
        raise ValidationError(CSV_MISSING_COLUMNS.format(columns=", ".join(missing)))
    rows = list(reader)
    if len(rows) > CSV_MAX_ROWS:
        raise ValidationError(CSV_TOO_MANY_ROWS.format(limit=CSV_MAX_ROWS))
    return [
        _import_row(
            line, {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}, user
        )
        for line, row in enumerate(rows, start=2)
    ]


def _import_row(line: int, row: dict[str, str], user) -> RowResult:
    name = row.get("name", "")
    try:
        if row.get("maventa_id") and row.get("api_key"):
            company = link_company(maventa_id=row["maventa_id"], api_key=row["api_key"], user=user)
            return RowResult(
                line, "linked", company.name, f"Linked as {company.maventa_id}.", company
            )
        company = create_company(
            name=name,
            bid=row.get("bid", ""),
            country=row.get("country", ""),
            email=row.get("email", ""),
            address1=row.get("address1", ""),
            post_code=row.get("post_code", ""),
            post_office=row.get("post_office", ""),
            city=row.get("city", ""),
            user=user,
        )
        return RowResult(
            line, "created", company.name, f"Created as {company.maventa_id}.", company
        )
    except ValidationError as exc:
        return RowResult(line, "refused", name, " ".join(exc.messages))
    except MaventaError as exc:
        log.warning("CSV line %d: %s", line, exc)
        return RowResult(line, "refused", name, exc.staff_message)
