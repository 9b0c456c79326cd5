"""Companies in the needs-attention queue: KYC and network profiles waiting too long."""

from __future__ import annotations

from datetime import timedelta

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from maventa_portal.core.attention import AttentionItem, AttentionKind

from .models import Company, NetworkProfile

# KYC (the Visma Sign request) is usually signed within a day; two days unverified means the
# signer needs a reminder or the request is stuck.
UNVERIFIED_AFTER = timedelta(days=2)
# Maventa activates most network profiles within a working day or two; after three days
# pending, someone should ask why.
PENDING_PROFILE_AFTER = timedelta(days=3)


def _unverified():
    cutoff = timezone.now() - UNVERIFIED_AFTER
    return (
        Company.objects.filter(company_state=Company.State.UNVERIFIED)
        .annotate(since=Coalesce("state_changed_at", "created_at"))
        .filter(since__lt=cutoff)
    )


def _unverified_items(limit: int) -> list[AttentionItem]:
    companies = _unverified().order_by("since", "pk")[:limit]
    return [
        AttentionItem(
            kind="unverified_companies",
            label=f"{company.name}: KYC {company.get_auth_state_display().lower()}",
            company_name=company.name,
            since=company.since,
            url=reverse("companies:detail", args=[company.pk]),
        )
        for company in companies
    ]


def _pending():
    cutoff = timezone.now() - PENDING_PROFILE_AFTER
    return (
        NetworkProfile.objects.filter(status=NetworkProfile.Status.PENDING)
        .annotate(since=Coalesce("status_changed_at", "created_at"))
        .filter(since__lt=cutoff)
    )


def _pending_items(limit: int) -> list[AttentionItem]:
    profiles = _pending().select_related("company").order_by("since", "pk")[:limit]
    return [
        AttentionItem(
            kind="pending_profiles",
            label=f"{profile.network} {'+'.join(profile.profiles)} pending",
            company_name=profile.company.name,
            since=profile.since,
            url=reverse("companies:detail", args=[profile.company_id]),
        )
        for profile in profiles
    ]


KINDS = [
    AttentionKind(
        key="unverified_companies",
        title=f"Companies unverified for more than {UNVERIFIED_AFTER.days} days",
        permission="companies.view_company",
        count=lambda: _unverified().count(),
        items=_unverified_items,
        more_url=lambda: (
            reverse("admin:companies_company_changelist") + "?company_state__exact=UNVERIFIED"
        ),
    ),
    AttentionKind(
        key="pending_profiles",
        title=f"Network profiles pending for more than {PENDING_PROFILE_AFTER.days} days",
        permission="companies.view_networkprofile",
        count=lambda: _pending().count(),
        items=_pending_items,
        more_url=lambda: (
            reverse("admin:companies_networkprofile_changelist") + "?status__exact=pending"
        ),
    ),
]
