"""Reads of the companies app that need more than one line of ORM."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from maventa_portal.core.models import AuditEntry

from .models import BulkRegistration, BulkRegistrationItem, Company, UnsavedCompany

HISTORY_LENGTH = 30


def companies_for_staff(*, query: str = "") -> QuerySet[Company]:
    companies = Company.objects.select_related("credential", "vendor_key")
    if query:
        companies = companies.filter(
            Q(name__icontains=query) | Q(bid__icontains=query) | Q(maventa_id__icontains=query)
        )
    return companies.order_by("name")


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


def bulk_items(run: BulkRegistration) -> QuerySet[BulkRegistrationItem]:
    return run.items.select_related("company").order_by("company__name")


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
