"""Bringing companies into the portal: create on Maventa, link an existing one, replace a key.

Everything Maventa will be sent is validated here first, on the model as it will be stored
(``full_clean``), so that Maventa never holds a company the portal then refuses. Calls to
Maventa happen outside transactions; what they return is stored in one short transaction
afterwards, and when that store fails what Maventa made is kept (``recovery``).
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from maventa_portal import maventa
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import Refused
from maventa_portal.core.validators import plain_text
from maventa_portal.maventa_api import (
    AmbiguousOutcome,
    CompanyCredentials,
    Invalid,
    NotFound,
    Unauthorized,
)
from maventa_portal.maventa_api.ax import companies as ax_companies

from ..bids import finnish_eia, normalise_bid
from ..models import Company, CompanyCredential, UnsavedCompany, VendorKey
from . import recovery

log = logging.getLogger(__name__)

# Maventa creates companies in these countries only (FIELDS.md, POST /v1/companies).
CREATION_COUNTRIES = ("FI", "SE", "NO", "DK", "NL")

ALREADY_IN_PORTAL = "{name} ({bid}, {country}) is already in the portal."
ALREADY_AT_MAVENTA = (
    "Maventa already has a company with business id {bid} in {country}. Link it instead, "
    "with its Maventa company id and a user API key."
)
CREATION_COUNTRY = (
    "Maventa creates companies in {countries} only; link an existing {country} company instead."
)
LINK_REFUSED = "Maventa did not accept this company id and API key together."
LINK_UNKNOWN = "Maventa knows no company with this id (or the key gives no access to it)."
KEY_OF_ANOTHER_COMPANY = (
    "This API key belongs to another Maventa company ({other}), not to {company}."
)
BAD_UUID = "The Maventa company id must be a UUID such as 74700284-d794-4fdd-a2ae-d72c3589f7a2."
CREATE_REFUSED = "Maventa refused to create the company: {reason}"
FIELD_REQUIRED = "Maventa needs this to create the company."
NAME_TOO_SHORT = "Maventa needs a name of at least 3 characters."
MAVENTA_NAME_REFUSED = (
    "Maventa holds this company's name as “{name}”, which the portal cannot store: {reason} "
    "Correct the name at Maventa, then link the company again."
)
NOT_CREATED_YET = (
    "Maventa still shows no company with business id {bid} in {country}. Create it again "
    "with “Create on Maventa” and the same business id: the portal reuses the kept user key."
)
NO_MAVENTA_ID = "{company} is not on Maventa yet: create or link it first."


def _vendor_api_key(vendor_key: VendorKey | None) -> str:
    return vendor_key.get_key() if vendor_key else settings.MAVENTA_VENDOR_API_KEY


def draft_company(
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
) -> Company:
    """The company as it will be stored, checked in full; raises ``Refused`` before any call."""
    country = country.strip().upper()
    if country not in CREATION_COUNTRIES:
        raise Refused(
            {
                "country": CREATION_COUNTRY.format(
                    countries=", ".join(CREATION_COUNTRIES), country=country or "–"
                )
            }
        )
    values = {
        "name": name.strip(),
        "email": email.strip(),
        "address1": address1.strip(),
        "post_code": post_code.strip(),
        "post_office": post_office.strip(),
        "city": city.strip(),
    }
    missing = {field: FIELD_REQUIRED for field, value in values.items() if not value}
    if missing:
        raise Refused(missing)
    if len(values["name"]) < 3:
        raise Refused({"name": NAME_TOO_SHORT})
    try:
        bid = normalise_bid(bid, country)
    except ValidationError as exc:
        raise Refused({"bid": exc.messages}) from exc
    if Company.objects.filter(country=country, bid=bid).exists():
        raise Refused(ALREADY_IN_PORTAL.format(name=values["name"], bid=bid, country=country))
    company = Company(
        bid=bid,
        country=country,
        eia=finnish_eia(bid) if country == "FI" else "",
        company_state=Company.State.UNVERIFIED,
        vendor_key=vendor_key,
        **values,
    )
    try:
        company.full_clean(exclude=["maventa_id"])
    except ValidationError as exc:
        raise Refused(exc.error_dict) from exc
    return company


def create_company(*, actor: Actor | None = None, vendor_key: VendorKey | None = None, **fields):
    """Creates the company on Maventa (POST /v1/users, then POST /v1/companies) and stores it.

    ``fields``: name, bid, country, email, address1, post_code, post_office, city.
    """
    asked = {key: str(value) for key, value in fields.items()}
    description = f"{fields.get('name', '')} ({fields.get('bid', '')}, {fields.get('country', '')})"
    with recording(
        actor, "company.create", target=Company, asked=asked, description=description
    ) as rec:
        draft = draft_company(vendor_key=vendor_key, **fields)
        pending = recovery.open_for(country=draft.country, bid=draft.bid)
        if pending is not None:
            company = resume(pending, draft=draft, actor=actor)
        else:
            company = _create_on_maventa(draft, actor)
        rec.target = rec.company = company
    log.info("Created company %s on Maventa as %s", company.bid, company.maventa_id)
    return company


def _create_on_maventa(draft: Company, actor: Actor | None) -> Company:
    vendor_api_key = _vendor_api_key(draft.vendor_key)
    public = maventa.get_client().public()
    # No key is held yet: a failure here leaves nothing at Maventa worth keeping.
    user_api_key = ax_companies.create_user(
        public, vendor_api_key=vendor_api_key, email=draft.email
    )
    maventa_id = post_company(draft, user_api_key=user_api_key, actor=actor)
    return save_created(draft, maventa_id=maventa_id, api_key=user_api_key, actor=actor)


def post_company(draft: Company, *, user_api_key: str, actor: Actor | None) -> str:
    """`POST /v1/companies` for the draft; a lost answer is looked up, never blindly re-sent."""
    try:
        return ax_companies.create_company(
            maventa.get_client().public(),
            vendor_api_key=_vendor_api_key(draft.vendor_key),
            user_api_key=user_api_key,
            name=draft.name,
            bid=draft.bid,
            # Our bids are business ids, not VAT numbers: skip Maventa's VAT check.
            no_vat=True,
            address1=draft.address1,
            post_code=draft.post_code,
            post_office=draft.post_office,
            city=draft.city,
            country=draft.country,
            email=draft.email,
        )
    except Invalid as exc:
        if exc.code == "company_bid_conflict":
            raise Refused(ALREADY_AT_MAVENTA.format(bid=draft.bid, country=draft.country)) from exc
        raise Refused(CREATE_REFUSED.format(reason=exc.staff_message)) from exc
    except AmbiguousOutcome as exc:
        # The company may exist now; the new user's key is the only way to reach it.
        return recovery.look_up(draft, api_key=user_api_key, actor=actor, cause=exc)
    except Exception as exc:
        recovery.keep(draft, maventa_id=None, api_key=user_api_key, actor=actor, cause=exc)


def save_created(draft: Company, *, maventa_id: str, api_key: str, actor: Actor | None) -> Company:
    """Stores the company Maventa created; on failure keeps its id and key (``recovery``)."""
    draft.maventa_id = uuid.UUID(str(maventa_id))
    draft.state_changed_at = timezone.now()
    try:
        with transaction.atomic():
            draft.full_clean()
            draft.save()
            store_key(draft, api_key, actor)
    except Exception as exc:
        draft.pk = None
        recovery.keep(draft, maventa_id=maventa_id, api_key=api_key, actor=actor, cause=exc)
    return draft


def resume(pending: UnsavedCompany, *, draft: Company, actor: Actor | None) -> Company:
    """A creation tried again after its answer was lost or its save failed: Maventa first."""
    api_key = pending.get_api_key()
    # The kept user was made under this vendor key; the company must be too.
    draft.vendor_key = pending.vendor_key
    maventa_id = str(pending.maventa_id) if pending.maventa_id else None
    maventa_id = maventa_id or recovery.find_at_maventa(country=draft.country, bid=draft.bid)
    if maventa_id is None:
        maventa_id = post_company(draft, user_api_key=api_key, actor=actor)
    company = save_created(draft, maventa_id=maventa_id, api_key=api_key, actor=actor)
    recovery.resolve(country=company.country, bid=company.bid, company=company)
    return company


def save_unsaved(*, pending: UnsavedCompany, actor: Actor | None = None) -> Company:
    """Saves a company kept by ``recovery``: links it at Maventa with the key that was kept."""
    with recording(actor, "company.save_unsaved", target=pending, description=str(pending)) as rec:
        maventa_id = pending.maventa_id or recovery.find_at_maventa(
            country=pending.country, bid=pending.bid
        )
        if maventa_id is None:
            raise Refused(NOT_CREATED_YET.format(bid=pending.bid, country=pending.country))
        company = _link(str(maventa_id), pending.get_api_key(), pending.vendor_key, actor)
        blank = {k: v for k, v in pending.details.items() if v and not getattr(company, k, "")}
        if blank:
            for field, value in blank.items():
                setattr(company, field, value)
            company.save(update_fields=[*blank, "updated_at"])
        recovery.resolve(country=pending.country, bid=pending.bid, company=company)
        rec.target = rec.company = company
        return company


def link_company(
    *,
    maventa_id: str,
    api_key: str,
    vendor_key: VendorKey | None = None,
    actor: Actor | None = None,
) -> Company:
    """Links an existing Maventa company: its id and key must yield a token that sees it."""
    with recording(
        actor,
        "company.link",
        target=Company,
        asked={"maventa_id": str(maventa_id), "vendor_key": str(vendor_key or "")},
        description=f"Maventa company {maventa_id}",
    ) as rec:
        company = _link(maventa_id, api_key, vendor_key, actor)
        rec.target = rec.company = company
        return company


def _link(maventa_id: str, api_key: str, vendor_key: VendorKey | None, actor) -> Company:
    try:
        company_uuid = uuid.UUID(str(maventa_id).strip())
    except ValueError as exc:
        raise Refused({"maventa_id": BAD_UUID}) from exc
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
        raise Refused(LINK_REFUSED) from exc
    except NotFound as exc:
        raise Refused(LINK_UNKNOWN) from exc
    party = session.company
    if party is None or party.id.lower() != str(company_uuid):
        raise Refused(LINK_REFUSED)
    country = (party.country or "").upper()
    bid = party.bid
    try:
        bid = normalise_bid(party.bid, country)
    except ValidationError:
        log.warning("Maventa company %s has a bid we cannot normalise; kept as given", company_uuid)
    try:
        plain_text(party.name or "")
    except ValidationError as exc:
        raise Refused(MAVENTA_NAME_REFUSED.format(name=party.name, reason=exc.messages[0])) from exc
    clash = Company.objects.filter(country=country, bid=bid).exclude(maventa_id=company_uuid)
    if clash.exists():
        raise Refused(ALREADY_IN_PORTAL.format(name=party.name, bid=bid, country=country))
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
        try:
            company.full_clean(validate_unique=False)
        except ValidationError as exc:
            raise Refused(exc.error_dict) from exc
        company.save()
        store_key(company, credentials.api_key, actor)
        recovery.resolve(country=country, bid=bid, company=company)
    return company


def replace_api_key(*, company: Company, api_key: str, actor: Actor | None = None) -> None:
    """Checks the new key against Maventa first: a wrong key must not replace a working one."""
    with recording(actor, "company.replace_key", target=company):
        if company.maventa_id is None:
            raise Refused(NO_MAVENTA_ID.format(company=company))
        credentials = CompanyCredentials(
            company_id=str(company.maventa_id),
            api_key=api_key.strip(),
            vendor_api_key=_vendor_api_key(company.vendor_key),
        )
        try:
            session = ax_companies.current(maventa.get_client().company(credentials))
        except (Unauthorized, NotFound) as exc:
            raise Refused(LINK_REFUSED) from exc
        other = session.company.id.lower() if session.company else ""
        if other != str(company.maventa_id):
            raise Refused(KEY_OF_ANOTHER_COMPANY.format(other=other or "unknown", company=company))
        with transaction.atomic():
            store_key(company, credentials.api_key, actor)


def store_key(company: Company, api_key: str, actor: Actor | None) -> None:
    credential = CompanyCredential.objects.filter(company=company).first() or CompanyCredential(
        company=company
    )
    credential.set_api_key(api_key)
    user = getattr(actor, "user", None)
    credential.set_by = user if getattr(user, "pk", None) else None
    credential.save()
