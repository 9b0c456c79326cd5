"""The portal's profile rules and the sandbox's agree, combination by combination.

The rules live twice on purpose: the sandbox imitates Maventa and imports nothing of the
portal; the portal checks locally before it calls Maventa. Every network, profile, version
and country either side knows (and a few names neither does) goes through both, in a few
states of the company and the partner:

- where the portal plans registrations, each request it would send, in order, must pass the
  sandbox's rules (a VISMA step it adds counts as live for the next);
- where the portal refuses (or has nothing to send), the request as staff asked it must be
  refused by the sandbox for the same rule (or accepted, when the portal sends nothing).

A disagreement fails the test unless `INTENDED` lists it with its reason. Conflicts of
endpoint ids and already registered profiles need stored registrations and are tested
through HTTP in tests/sandbox/test_profiles.py and tests/companies.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import pytest

from companies import profile_rules as portal
from companies.models import Country, Network
from maventa_portal.sandbox import profile_rules as sandbox
from maventa_portal.sandbox.endpoints import PEPPOL_SCHEMES, SCHEME_MARKETS
from maventa_portal.sandbox.models import Company as SandboxCompany

ALLOWED = "allowed"
ANY = "any"
AGREEMENTS = ("INEXCHANGE", "NEMHANDEL")

NETWORKS = sorted({*Network.values, *sandbox.NETWORKS})
# Words of the document type enum neither side registers (FIELDS.md section 6) and a typo.
NAMES_NEITHER_REGISTERS = ("RECEIPT", "SELF_BILLING_INVOICE", "ODER")
PROFILES = sorted(
    {
        *(p for profiles in portal.PROFILES_BY_NETWORK.values() for p in profiles),
        *portal.DEPRECATED_INVOICE_PROFILES,
        *portal.SCAN_DOCUMENT_PROFILES,
        *sandbox.PEPPOL_PROFILES,
        *(p for profiles in sandbox.PROFILES_BY_NETWORK.values() for p in profiles),
        *sandbox.DEPRECATED_PROFILES,
        *NAMES_NEITHER_REGISTERS,
    }
)
VERSIONS = ("", *sorted({*portal.VERSIONS, *sandbox.VERSIONS}), "UBL21")
COUNTRIES = sorted(
    {
        *Country.values,
        *SandboxCompany.Country.values,
        *PEPPOL_SCHEMES,
        *SCHEME_MARKETS.values(),
        *(c for _, markets in portal.VERSIONED_PROFILES.values() for c in markets),
    }
)


@dataclass(frozen=True)
class State:
    name: str
    visma_live: bool = False
    include_visma: bool = False
    portal_agreements: tuple[str, ...] = ()
    sandbox_agreements: tuple[str, ...] = ()


STATES = (
    State("nothing live"),
    State("nothing live, VISMA first asked", include_visma=True),
    State("VISMA live", visma_live=True),
    State(
        "VISMA live, agreements on both sides",
        visma_live=True,
        portal_agreements=AGREEMENTS,
        sandbox_agreements=AGREEMENTS,
    ),
    State("VISMA live, agreements at Maventa only", visma_live=True, sandbox_agreements=AGREEMENTS),
)


@dataclass(frozen=True)
class Intended:
    networks: tuple[str, ...]
    portal: str
    sandbox: str
    reason: str


# Deliberate differences: (networks, the portal's verdict, the sandbox's, why).
INTENDED = (
    Intended(
        AGREEMENTS,
        "agreement_needed",
        ANY,
        "Maventa records the agreement per company; the portal offers these networks only "
        "once the partner lists them in MAVENTA_AGREEMENT_NETWORKS, and says so before any "
        "other reason, even where Maventa would accept.",
    ),
)


@dataclass(frozen=True)
class Disagreement:
    network: str
    profile: str
    version: str
    country: str
    portal: str
    sandbox: str

    def intended(self) -> Intended | None:
        for entry in INTENDED:
            if (
                self.network in entry.networks
                and self.portal == entry.portal
                and entry.sandbox in (ANY, self.sandbox)
            ):
                return entry
        return None


def portal_verdict(state: State, network, profile, version, country):
    live = {(Network.VISMA, portal.INVOICE_PROFILE)} if state.visma_live else set()
    try:
        plan = portal.plan_registration(
            company_name="Grid Oy",
            country=country,
            network=network,
            profiles=[profile],
            profile_version=version,
            live=live,
            enabled_agreement_networks=state.portal_agreements,
            include_visma=state.include_visma,
        )
    except portal.RegistrationRefused as exc:
        return exc.code, ()
    return ALLOWED, plan.steps


def sandbox_verdict(state: State, asked: portal.Step, steps, country: str) -> str:
    visma = state.visma_live
    for step in steps or (asked,):
        request = sandbox.Request(step.network, list(step.profiles), step.profile_version or None)
        try:
            sandbox.check_rules(
                request,
                country=country,
                market=country,
                agreement_networks=state.sandbox_agreements,
                visma_receiving=visma,
            )
        except sandbox.Refused as exc:
            return exc.rule
        visma = visma or (step.network == "VISMA" and sandbox.INVOICES in step.profiles)
    return ALLOWED


def disagreements(state: State) -> list[Disagreement]:
    found = []
    for cell in itertools.product(NETWORKS, PROFILES, VERSIONS, COUNTRIES):
        network, profile, version, country = cell
        verdict, steps = portal_verdict(state, *cell)
        asked = portal.Step(network, (profile,), version)
        theirs = sandbox_verdict(state, asked, steps, country)
        if verdict != theirs:
            found.append(Disagreement(*cell, verdict, theirs))
    return found


def report(state: State, found: list[Disagreement]) -> str:
    groups = Counter((d.network, d.portal, d.sandbox) for d in found)
    lines = [f"{len(found)} disagreements with the company {state.name}:"]
    for (network, mine, theirs), count in sorted(groups.items()):
        example = next(
            d for d in found if (d.network, d.portal, d.sandbox) == (network, mine, theirs)
        )
        lines.append(
            f"  {network}: portal {mine}, sandbox {theirs}: {count}, e.g. "
            f"{example.profile} {example.version or '(no version)'} {example.country}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.name)
def test_portal_and_sandbox_decide_alike(state):
    unexpected = [d for d in disagreements(state) if d.intended() is None]

    assert not unexpected, report(state, unexpected)


def test_every_intended_difference_still_occurs():
    used = {d.intended() for state in STATES for d in disagreements(state)}

    assert used - {None} == set(INTENDED)


def test_both_sides_know_the_same_networks_spellings_and_profiles():
    assert set(Network.values) == set(sandbox.NETWORKS)
    for network in NETWORKS:
        assert portal.same_network(network) == sandbox.same_network(network), network
        assert set(portal.profiles_of(network)) == set(sandbox.profiles_of(network)), network
    assert portal.same_network(Network.SCAN_DOCUMENTS) == Network.VISMASCANNER
    assert set(portal.NEEDS_VISMA_FIRST) == set(sandbox.NEEDS_VISMA)
    assert set(portal.AGREEMENT_NETWORKS) == set(sandbox.BY_AGREEMENT)
    assert set(portal.PEPPOL_TABLE_NETWORKS) == set(sandbox.PEPPOL_STYLE)
