"""Demo companies for `make run`: onboarded through the sandbox the way staff would do it.

Companies are created (or, for Germany, where Maventa does not create companies, linked)
through the real onboarding services, and profiles registered through the real rules. The
sandbox's control API only stands in for what Maventa's people would do: verify a company
(KYC) and hold a German company registered elsewhere. Runs once the web server answers, as
the sandbox is served by it; idempotent by business id.
"""

from __future__ import annotations

import logging

from django.conf import settings

from maventa_portal.sandbox.control_client import SandboxControl

from . import services
from .models import Company

log = logging.getLogger(__name__)

ADDRESS = {
    "address1": "Demo Street 1",
    "post_code": "00100",
    "post_office": "Helsinki",
    "city": "Helsinki",
}

# name, bid, country, KYC state, registrations: (network, profiles, version, extensions)
DEMO_COMPANIES = [
    (
        "Aurora Design Oy",
        "2660421-6",
        "FI",
        "VERIFIED",
        [
            ("VISMA", ["INVOICE_AND_CREDIT_NOTE"], "", []),
            ("PEPPOL", ["INVOICE_AND_CREDIT_NOTE"], "", []),
        ],
    ),
    (
        "Fjord Logistikk AS",
        "923609016",
        "NO",
        "VERIFIED",
        [
            ("VISMA", ["INVOICE_AND_CREDIT_NOTE"], "", []),
            ("PEPPOL", ["INVOICE_AND_CREDIT_NOTE", "ORDER"], "EHF30", []),
        ],
    ),
    ("Norrsken Konsult AB", "556036-0793", "SE", "UNVERIFIED", []),
    (
        "Tulp Handel B.V.",
        "12345678",
        "NL",
        "VERIFIED",
        [
            ("VISMA", ["INVOICE_AND_CREDIT_NOTE"], "", []),
            ("PEPPOL", ["INVOICE_AND_CREDIT_NOTE"], "", ["GACCOUNT10"]),
        ],
    ),
    ("Havn Data ApS", "31415926", "DK", "UNKNOWN", []),
]
LINKED_DEMO_COMPANY = ("Rhein Maschinenbau GmbH", "DE811569869", "DE", "VERIFIED")


def _control() -> SandboxControl:
    return SandboxControl(settings.MAVENTA_SANDBOX_URL)


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:20]


def seed_demo() -> str:
    made = 0
    for name, bid, country, state, registrations in DEMO_COMPANIES:
        if Company.objects.filter(country=country, bid=bid).exists():
            continue
        company = services.create_company(
            name=name, bid=bid, country=country, email=f"{_slug(name)}@example.com", **ADDRESS
        )
        _control().set_company(company.maventa_id, company_state=state)
        services.refresh_company_state(company=company)
        for network, profiles, version, extensions in registrations:
            services.register_profiles(
                company=company,
                network=network,
                profiles=profiles,
                profile_version=version,
                extensions=extensions,
            )
        made += 1
    name, bid, country, state = LINKED_DEMO_COMPANY
    if not Company.objects.filter(country=country, bid=bid).exists():
        account = _control().create_company(
            name=name, bid=bid, country=country, company_state=state
        )
        services.link_company(maventa_id=account["company_id"], api_key=account["api_key"])
        made += 1
    return f"{made} demo companies onboarded ({Company.objects.count()} in all)."
