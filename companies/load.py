"""``seed_load`` companies: made-up Finnish, Norwegian and Swedish companies without credentials
(no API key: nothing here can reach Maventa), most verified, each with a network profile or two.

Loaded companies are the ones with an e-mail at ``LOAD_EMAIL_DOMAIN``; a run tops them up to
``plan.companies``, so running it again with the same number adds none.
"""

from __future__ import annotations

from companies.bids import example_bid
from companies.models import Company, NetworkProfile
from maventa_portal.core.seeding import (
    LOAD_EMAIL_DOMAIN,
    LoadPlan,
    insert,
    pick,
    raw_delete,
    uuid_from,
)

COUNTRIES = ("FI", "FI", "FI", "NO", "SE")
# Far above the ids of demo and test companies (companies.bids.example_bid).
BID_OFFSET = 600_000
STATES = (("VERIFIED", 8), ("UNVERIFIED", 1), ("UNKNOWN", 1))
PROFILE_STATES = (("active", 8), ("pending", 1), ("failed", 1))


def loaded_companies():
    return Company.objects.filter(email__endswith=f"@{LOAD_EMAIL_DOMAIN}")


def load(plan: LoadPlan) -> str:
    existing = loaded_companies().count()
    wanted = max(plan.companies - existing, 0)
    rng = plan.rng("companies", existing)
    companies = []
    for n in range(existing, existing + wanted):
        country = COUNTRIES[n % len(COUNTRIES)]
        changed = plan.moment(rng)
        companies.append(
            Company(
                name=f"Load {n:05d} Oy",
                bid=example_bid(country, BID_OFFSET + n * 3),
                country=country,
                maventa_id=uuid_from(rng),
                email=f"company{n}@{LOAD_EMAIL_DOMAIN}",
                company_state=pick(rng, STATES),
                state_changed_at=changed,
                created_at=changed,
                updated_at=changed,
            )
        )
    made = insert(Company, companies, plan.batch_size)
    made_ids = list(loaded_companies().order_by("pk").values_list("pk", flat=True))[existing:]
    profiles = []
    for company_id in made_ids:
        networks = ("PEPPOL", "VISMA") if rng.random() < 0.5 else ("PEPPOL",)
        for network in networks:
            changed = plan.moment(rng)
            profiles.append(
                NetworkProfile(
                    company_id=company_id,
                    network=network,
                    profiles=["INVOICE_AND_CREDIT_NOTE"],
                    maventa_id=str(uuid_from(rng)),
                    status=pick(rng, PROFILE_STATES),
                    status_changed_at=changed,
                    created_at=changed,
                    updated_at=changed,
                )
            )
    made_profiles = insert(NetworkProfile, profiles, plan.batch_size)
    return f"{made} companies ({existing + made} loaded in all), {made_profiles} network profiles"


def reset() -> str:
    companies = loaded_companies()
    profiles = raw_delete(NetworkProfile.objects.filter(company__in=companies))
    count = raw_delete(companies)
    return f"removed {count} companies and {profiles} network profiles"
