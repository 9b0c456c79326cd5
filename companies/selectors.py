"""Reads of the companies app that need more than one line of ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Exists, Expression, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from maventa_portal.core.models import AuditEntry

from .models import (
    BID_SEPARATORS,
    Company,
    Country,
    NetworkProfile,
    UnsavedCompany,
)

HISTORY_LENGTH = 30

LIVE = (NetworkProfile.Status.PENDING, NetworkProfile.Status.ACTIVE)
# Maventa registers a profile within hours; pending longer, it needs someone to look.
PENDING_TOO_LONG = dt.timedelta(days=2)

# Sort keys the companies list accepts ("-name" reverses); anything else sorts by name.
SORTS = {
    "name": Lower("name"),
    "bid": F("bid"),
    "country": F("country"),
    "state": F("company_state"),
    "created": F("created_at"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class ProfileFilter:
    label: str
    statuses: tuple[str, ...]
    # "none live": companies without such a profile, rather than with one.
    absent: bool = False


PROFILE_FILTERS = {
    "live": ProfileFilter("live (active or pending)", LIVE),
    "active": ProfileFilter("active", (NetworkProfile.Status.ACTIVE,)),
    "pending": ProfileFilter("pending", (NetworkProfile.Status.PENDING,)),
    "failed": ProfileFilter("failed", (NetworkProfile.Status.FAILED,)),
    "none": ProfileFilter("none live", LIVE, absent=True),
}


def compact_bid(text: str) -> str:
    """A business id as ``Company.bid_compact`` holds it: no separators, upper case."""
    text = text.upper()
    for separator in BID_SEPARATORS:
        text = text.replace(separator, "")
    return text


def company_search(query: str) -> Q:
    """Name or Maventa id containing the query, or a business id containing its characters
    whatever the separators: 26604216, 2660421-6 and FI26604216 all find 2660421-6."""
    match = Q(name__icontains=query) | Q(maventa_id__icontains=query)
    compact = compact_bid(query)
    if any(char.isdigit() for char in compact):
        match |= Q(bid_compact__contains=compact)
        if compact[:2] in Country.values:  # a VAT number: the country code, then the bid
            match |= Q(bid_compact__contains=compact[2:])
    return match


def companies_for_staff(*, query: str = "") -> QuerySet[Company]:
    companies = Company.objects.select_related("credential", "vendor_key")
    if query:
        companies = companies.filter(company_search(query))
    return companies.order_by("name")


def companies_for_list(
    *,
    query: str = "",
    country: str = "",
    state: str = "",
    network: str = "",
    profile: str = "",
    sort: str = DEFAULT_SORT,
    now: dt.datetime | None = None,
    annotations: Mapping[str, Expression] | None = None,
    conditions: Iterable[Q] = (),
    sortable: Iterable[str] = (),
) -> QuerySet[Company]:
    """The companies list (the fleet view): filtered, sorted with pk as the tie-break, every
    column of other apps a subquery in ``annotations`` (``companies.fleet``), profiles that
    are not disabled prefetched as ``company.shown_profiles``: a page costs the same queries
    whatever its length. ``conditions`` filter on those annotations; ``sortable`` names the
    annotations one may sort by."""
    companies = Company.objects.annotate(**_attention(now), **(annotations or {}))
    if query:
        companies = companies.filter(company_search(query))
    if country:
        companies = companies.filter(country=country)
    if state:
        companies = companies.filter(company_state=state)
    if network or profile:
        wanted = PROFILE_FILTERS[profile or "live"]
        rows = NetworkProfile.objects.filter(company=OuterRef("pk"), status__in=wanted.statuses)
        if network:
            rows = rows.filter(network=network)
        companies = companies.filter(~Exists(rows) if wanted.absent else Exists(rows))
    for condition in conditions:
        companies = companies.filter(condition)
    shown = NetworkProfile.objects.exclude(status=NetworkProfile.Status.DISABLED)
    return companies.order_by(*_ordering(sort, sortable)).prefetch_related(
        Prefetch("profiles", queryset=shown, to_attr="shown_profiles")
    )


def _attention(now: dt.datetime | None) -> dict[str, Expression]:
    """Whether a company has a failed profile, or one pending longer than usual."""
    since = (now or timezone.now()) - PENDING_TOO_LONG
    profiles = NetworkProfile.objects.filter(company=OuterRef("pk"))
    pending = profiles.filter(status=NetworkProfile.Status.PENDING).alias(
        since=Coalesce("status_changed_at", "created_at")
    )
    return {
        "profile_failed": Exists(profiles.filter(status=NetworkProfile.Status.FAILED)),
        "profile_pending_long": Exists(pending.filter(since__lt=since)),
    }


def _ordering(sort: str, sortable: Iterable[str] = ()) -> tuple:
    key = sort.removeprefix("-")
    if key in SORTS:
        expression = SORTS[key]
    elif key in sortable:
        expression = F(key)
    else:
        expression = SORTS[DEFAULT_SORT]
    if sort.startswith("-"):
        return expression.desc(nulls_last=True), F("pk").desc()
    return expression.asc(nulls_last=True), F("pk").asc()


def company_count() -> int:
    return Company.objects.count()


def unsaved_companies() -> QuerySet[UnsavedCompany]:
    """What Maventa created (or may have) that the portal has not saved yet."""
    return UnsavedCompany.objects.filter(resolved_at=None).select_related("created_by")


def company_history(company: Company, *, limit: int = HISTORY_LENGTH) -> list[AuditEntry]:
    """The newest audit entries about a company: staff actions and changes of its records."""
    return list(
        AuditEntry.objects.filter(company=company)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )


@dataclass(frozen=True)
class KycGuidance:
    state: str
    label: str
    tone: str  # ok, warning, error
    next_step: str


KYC_NEXT_STEPS = {
    Company.State.VERIFIED: (
        "ok",
        "Verified by Maventa: sending and receiving are open.",
    ),
    Company.State.UNVERIFIED: (
        "warning",
        "Not verified yet. Maventa must verify the company (KYC) before it can send or "
        "receive: send the verification request below, and the company's signatory signs "
        "the Visma Sign request Maventa emails them. The portal checks the state every few "
        "minutes; use Refresh to check now.",
    ),
    Company.State.UNKNOWN: (
        "error",
        "State unknown. Use Refresh to ask Maventa; if it stays unknown, check the "
        "company's API key.",
    ),
}


def kyc_guidance(company: Company) -> KycGuidance:
    tone, next_step = KYC_NEXT_STEPS[Company.State(company.company_state)]
    if company.maventa_id is None:
        tone, next_step = "error", "Not on Maventa yet: create or link the company."
    elif not hasattr(company, "credential"):
        tone, next_step = "error", "No API key stored: add one with Replace API key."
    return KycGuidance(company.company_state, company.get_company_state_display(), tone, next_step)
