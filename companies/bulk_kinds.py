"""The companies app's kinds of bulk work: registering profiles, importing a CSV file."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.kinds import BulkKind, Outcome
from maventa_portal.core.bulk.runs import ItemSpec, item_secret, start_run
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import BulkItem, BulkRun

from .forms import ProfileRegistrationForm
from .models import Company
from .profile_rules import RegistrationRefused, default_profile_version
from .services.onboarding import create_company, link_company
from .services.profiles import register_profiles, sync_profiles

REGISTER_PROFILES = "companies.register_profiles"
IMPORT_CSV = "companies.import_csv"
COMPANY_GONE = "The company was deleted from the portal after the run started."
VISMA_FIRST_IN_BULK = (
    "{reason} Retry with “Register VISMA invoice receiving first” ticked, or register VISMA "
    "for it on its own page."
)


def _company_url(item: BulkItem) -> str | None:
    company_id = item.object_id or (item.result or {}).get("company_id")
    return reverse("companies:detail", args=[company_id]) if company_id else None


def _describe_registration(options: dict) -> str:
    profiles = ", ".join(options.get("profiles") or [])
    visma = ", VISMA first where missing" if options.get("include_visma") else ""
    return f"Registering {options.get('network', '')} profiles ({profiles}){visma}"


def register_for_item(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    company = (
        Company.objects.select_related("credential", "vendor_key").filter(pk=item.object_id).first()
    )
    if company is None:
        raise PortalError(COMPANY_GONE)
    if item.attempts > 1:
        # An earlier attempt may have reached Maventa before its worker was lost.
        sync_profiles(company=company)
    options = run.options
    try:
        result = register_profiles(
            company=company,
            network=options["network"],
            profiles=options["profiles"],
            profile_version=options.get("profile_version")
            or default_profile_version(company.country),
            extensions=options.get("extensions") or [],
            include_visma=bool(options.get("include_visma")),
            actor=actor,
        )
    except RegistrationRefused as exc:
        if not exc.offer:
            raise
        # The single-company advice ("Register both...") names a form this run does not have.
        reason = exc.staff_message.split(" Register both")[0]
        raise PortalError(VISMA_FIRST_IN_BULK.format(reason=reason)) from exc
    return Outcome(result.summary, {"profiles": [profile.pk for profile in result.created]})


def start_registration_run(
    *,
    companies: Iterable[Company],
    network: str,
    profiles: Iterable[str],
    profile_version: str = "",
    include_visma: bool = False,
    extensions: Iterable[str] = (),
    actor: Actor | None = None,
    request_key: str = "",
) -> BulkRun:
    """A bulk run registering the same profiles for each company (in name order)."""
    options = {
        "network": network,
        "profiles": list(profiles),
        "profile_version": profile_version,
        "include_visma": include_visma,
        "extensions": list(extensions),
    }
    return start_run(
        kind=REGISTER_PROFILES,
        options=options,
        items=[ItemSpec(object_id=company.pk, label=str(company)) for company in companies],
        actor=actor,
        request_key=request_key,
    )


def _describe_import(options: dict) -> str:
    return f"Importing companies from {options.get('file_name') or 'a CSV file'}"


def import_row(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    line = item.payload.get("line", item.position)
    row = item.payload.get("row", {})
    actor = actor.but(via=f"CSV import (run {run.pk}), line {line}")
    api_key = item_secret(item)
    if row.get("maventa_id") and api_key:
        company = link_company(maventa_id=row["maventa_id"], api_key=api_key, actor=actor)
        return Outcome(
            f"Linked as {company.maventa_id}.", {"outcome": "linked", "company_id": company.pk}
        )
    company = create_company(actor=actor, **{k: row.get(k, "") for k in CREATE_FIELDS})
    return Outcome(
        f"Created as {company.maventa_id}.", {"outcome": "created", "company_id": company.pk}
    )


CREATE_FIELDS = (
    "name",
    "bid",
    "country",
    "email",
    "address1",
    "post_code",
    "post_office",
    "city",
)
RESULT_HEADER = ["line", "name", "business id", "country", "result", "details", "portal page"]


def import_result(run: BulkRun) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in run.items.order_by("position", "pk"):
        row = item.payload.get("row", {})
        outcome = (item.result or {}).get("outcome") or (
            "refused" if item.status == BulkItem.Status.FAILED else item.status
        )
        url = _company_url(item)
        rows.append(
            [
                str(item.payload.get("line", item.position)),
                row.get("name", ""),
                row.get("bid", ""),
                row.get("country", ""),
                outcome,
                item.message,
                url or "",
            ]
        )
    return RESULT_HEADER, rows


KINDS = [
    BulkKind(
        name=REGISTER_PROFILES,
        describe=_describe_registration,
        handle=register_for_item,
        start_permission=REGISTER_PROFILES,
        view_permission="companies.view_company",
        object_url=_company_url,
        options_form=ProfileRegistrationForm,
        item_noun="company",
        items_noun="companies",
    ),
    BulkKind(
        name=IMPORT_CSV,
        describe=_describe_import,
        handle=import_row,
        start_permission="companies.add_company",
        view_permission="companies.view_company",
        # Creations go one after another per row: Maventa sees a steady, modest pace.
        concurrency=4,
        object_url=_company_url,
        result_csv=import_result,
        item_noun="row",
        items_noun="rows",
    ),
]
