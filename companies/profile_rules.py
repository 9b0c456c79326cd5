"""Maventa's rules for network profile registration, checked before any call.

Every rule comes from API.md, "Network profiles" (networks table, Peppol profiles table,
schemes by country) and, where API.md is silent, FIELDS.md sections 3 and 12. `plan_registration`
either refuses with a message staff can act on or returns the registrations to make, in order,
leaving out what is already pending or active.

The sandbox holds the same rules apart (it imitates Maventa and imports nothing of ours);
tests/contract/test_profile_rules_agree.py runs every network, profile, version and country
through both. To offer a profile, add it to `PROFILES_BY_NETWORK` here and to the sandbox's
table of the same name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from maventa_portal.core.errors import PortalError

from .models import Network

INVOICE_PROFILE = "INVOICE_AND_CREDIT_NOTE"
DEPRECATED_INVOICE_PROFILES = frozenset({"INVOICE", "CREDIT_NOTE"})
PEPPOLBIS30, EHF30 = "PEPPOLBIS30", "EHF30"
VERSIONS = (PEPPOLBIS30, EHF30)

_DOCUMENT_MARKETS = frozenset({"FI", "NO", "SE", "DK", "NL"})
_RESPONSE_MARKETS = _DOCUMENT_MARKETS | {"BE"}
# profile -> (versions it takes, countries it is offered in). API.md: "Profiles other than
# invoices need profile_version", whichever network registers them: the version is the format
# the company's system receives, and documents are never converted (API.md, Documents).
VERSIONED_PROFILES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    **{
        name: (VERSIONS, _DOCUMENT_MARKETS)
        for name in (
            "ORDER",
            "ORDER_RESPONSE",
            "CATALOGUE",
            "CATALOGUE_RESPONSE",
            "DESPATCH_ADVICE",
            "REMINDER",
        )
    },
    "INVOICE_RESPONSE": ((PEPPOLBIS30,), _RESPONSE_MARKETS),
    "MESSAGE_LEVEL_RESPONSE": ((PEPPOLBIS30,), _RESPONSE_MARKETS),
}
PEPPOL_PROFILES = (INVOICE_PROFILE, *VERSIONED_PROFILES)
# Scanned documents other than invoices: the vendor overview lists VOUCHER alone under
# SCAN_DOCUMENTS and calls unlisted profiles deprecated or experimental (API.md, Networks).
SCAN_DOCUMENT_PROFILES = ("VOUCHER",)

# One network, two spellings (FIELDS.md section 12, item 9): API.md's SCAN_DOCUMENTS is the
# schema's VISMASCANNER. The rules compare networks by the schema's name, the one sent.
SAME_NETWORK: dict[str, str] = {Network.SCAN_DOCUMENTS: Network.VISMASCANNER}

# The profiles each network registers (RECEIVABLES and AISPROOM register none of ours).
# The Peppol table is the only list of document profiles API.md gives: VISMA, the internal
# receiving every other network delivers into, and the agreement networks (operators
# exchanging Peppol documents; assumed, as API.md lists no profiles of theirs) take those and
# no others. BANK and SCAN carry invoices only
# ("Finnish bank network", "scanned paper invoices").
PEPPOL_TABLE_NETWORKS = (Network.VISMA, Network.PEPPOL, Network.INEXCHANGE, Network.NEMHANDEL)
PROFILES_BY_NETWORK: dict[str, tuple[str, ...]] = {
    **{network: PEPPOL_PROFILES for network in PEPPOL_TABLE_NETWORKS},
    Network.BANK: (INVOICE_PROFILE,),
    Network.SCAN: (INVOICE_PROFILE,),
    Network.VISMASCANNER: SCAN_DOCUMENT_PROFILES,
}

PEPPOL_SCHEMES: dict[str, str] = {
    "NO": "0192 (NO:ORG)",
    "SE": "0007 (SE:ORGNR)",
    "FI": "0216 (FI:OVT2)",
    "DK": "0182 (DK:DIGST)",
    "NL": "0106 (NL:KVK) or 9944 (NL:VAT)",
    "DE": "9930 (DE:VAT)",
}
VISMA_SCHEME = "V154"

# API.md: VISMA "must be enabled before receiving through any other network (Peppol, scan)".
# BANK is left out: Maventa requests it by itself when KYC completes.
NEEDS_VISMA_FIRST = frozenset(
    {
        Network.PEPPOL,
        Network.SCAN,
        Network.SCAN_DOCUMENTS,
        Network.VISMASCANNER,
        Network.INEXCHANGE,
        Network.NEMHANDEL,
    }
)
AGREEMENT_NETWORKS = frozenset({Network.INEXCHANGE, Network.NEMHANDEL})
DUTCH_ONLY_EXTENSIONS = frozenset({"GACCOUNT10"})

UNKNOWN_NETWORK = "{network} is not a Maventa network."
RECEIVABLES_DEPRECATED = (
    "The RECEIVABLES network is deprecated: activate receivables management from the "
    "company's Receivables page instead (Maventa's receivables service activation)."
)
AISPROOM_INTERNAL = "AISPROOM is for Maventa's internal use only."
AGREEMENT_NEEDED = (
    "{network} needs a separate agreement with Maventa; once agreed, add it to "
    "MAVENTA_AGREEMENT_NETWORKS."
)
BANK_FINLAND_ONLY = "The BANK network is for Finnish companies only; {company} is in {country}."
NO_PROFILES = "Choose at least one profile."
USE_INVOICE_AND_CREDIT_NOTE = "{profile} is deprecated: use INVOICE_AND_CREDIT_NOTE."
REGISTER_ELSEWHERE = "{network} does not register {profile}: register it in {networks}."
NOT_A_NETWORK_PROFILE = "{profile} is not a profile Maventa registers in {network} ({offered})."
VERSION_REQUIRED = "{profile} needs a profile version: {versions}."
VERSION_NOT_OFFERED = "{profile} is offered as {versions}, not {version}."
MARKET_NOT_OFFERED = "{profile} is not offered for companies in {country} (only {markets})."
EXTENSION_DUTCH_ONLY = "The {extension} extension is supported for Dutch companies only."
VISMA_FIRST = (
    "VISMA invoice receiving must be registered before {network}. Register both, VISMA first?"
)
ALREADY_REGISTERED = "{network} {profiles} is already {status} for {company}; nothing changed."


class RegistrationRefused(PortalError):
    def __init__(self, message: str, *, code: str, offer: str = "") -> None:
        super().__init__(message)
        self.code = code
        # What staff can do instead, when the portal can do it for them ("include_visma").
        self.offer = offer


@dataclass(frozen=True)
class Step:
    network: str
    profiles: tuple[str, ...]
    profile_version: str = ""


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    already: tuple[str, ...] = field(default=())  # profiles left out as already pending/active


def default_profile_version(country: str) -> str:
    """EHF30 is Norway's national format and preferred there; PEPPOLBIS30 elsewhere."""
    return EHF30 if country == "NO" else PEPPOLBIS30


def same_network(network: str) -> str:
    return SAME_NETWORK.get(network, network)


def profiles_of(network: str) -> tuple[str, ...]:
    return PROFILES_BY_NETWORK.get(same_network(network), ())


def networks_for(profile: str, enabled_agreement_networks: Collection[str] = ()) -> list[str]:
    """The networks staff can register ``profile`` in, each under one spelling."""
    names: dict[str, str] = {}
    for network in Network.values:
        if network in AGREEMENT_NETWORKS and network not in enabled_agreement_networks:
            continue
        if profile in profiles_of(network):
            names.setdefault(same_network(network), network)
    return list(names.values())


def expected_scheme(country: str, network: str = Network.PEPPOL) -> str:
    if network == Network.VISMA:
        return VISMA_SCHEME
    if network != Network.PEPPOL:
        return ""
    return PEPPOL_SCHEMES.get(country, "resolved by Maventa from the company's identifiers")


def plan_registration(
    *,
    company_name: str,
    country: str,
    network: str,
    profiles: Iterable[str],
    profile_version: str = "",
    extensions: Iterable[str] = (),
    live: Collection[tuple[str, str]] = (),
    enabled_agreement_networks: Collection[str] = (),
    include_visma: bool = False,
) -> Plan:
    """`live` holds (network, profile) pairs already pending or active for the company."""
    profiles = tuple(dict.fromkeys(p.strip().upper() for p in profiles if p.strip()))
    _check_network(network, country, company_name, enabled_agreement_networks)
    if not profiles:
        raise RegistrationRefused(NO_PROFILES, code="no_profiles")
    for profile in profiles:
        _check_profile(network, profile, profile_version, country, enabled_agreement_networks)
    for extension in extensions:
        if extension in DUTCH_ONLY_EXTENSIONS and country != "NL":
            raise RegistrationRefused(
                EXTENSION_DUTCH_ONLY.format(extension=extension), code="extension_market"
            )

    # Either spelling of SCAN_DOCUMENTS counts as the same registration.
    live = {(same_network(n), p) for n, p in live}
    steps: list[Step] = []
    if network in NEEDS_VISMA_FIRST and (Network.VISMA, INVOICE_PROFILE) not in live:
        if not include_visma:
            raise RegistrationRefused(
                VISMA_FIRST.format(network=network), code="visma_first", offer="include_visma"
            )
        steps.append(Step(Network.VISMA, (INVOICE_PROFILE,)))
    missing = tuple(p for p in profiles if (same_network(network), p) not in live)
    already = tuple(p for p in profiles if p not in missing)
    if missing:
        needs_version = any(p in VERSIONED_PROFILES for p in missing)
        steps.append(Step(network, missing, profile_version if needs_version else ""))
    return Plan(tuple(steps), already)


def _check_network(
    network: str, country: str, company_name: str, enabled_agreement_networks: Collection[str]
) -> None:
    if network not in Network.values:
        raise RegistrationRefused(UNKNOWN_NETWORK.format(network=network), code="unknown_network")
    if network == Network.RECEIVABLES:
        raise RegistrationRefused(RECEIVABLES_DEPRECATED, code="receivables_deprecated")
    if network == Network.AISPROOM:
        raise RegistrationRefused(AISPROOM_INTERNAL, code="internal_network")
    if network in AGREEMENT_NETWORKS and network not in enabled_agreement_networks:
        raise RegistrationRefused(AGREEMENT_NEEDED.format(network=network), code="agreement_needed")
    if network == Network.BANK and country != "FI":
        raise RegistrationRefused(
            BANK_FINLAND_ONLY.format(company=company_name, country=country), code="bank_fi_only"
        )


def _check_profile(
    network: str, profile: str, version: str, country: str, enabled: Collection[str]
) -> None:
    if profile in DEPRECATED_INVOICE_PROFILES:
        raise RegistrationRefused(
            USE_INVOICE_AND_CREDIT_NOTE.format(profile=profile), code="deprecated_profile"
        )
    if profile not in profiles_of(network):
        raise RegistrationRefused(
            _not_a_network_profile(network, profile, enabled), code="unknown_profile"
        )
    if network not in PEPPOL_TABLE_NETWORKS:
        return  # BANK, SCAN and scanned documents take no version: none is sent
    # Invoices need no version (and the plan sends none); one given must still be a version
    # Maventa offers, as Maventa would refuse another.
    versions, markets = VERSIONED_PROFILES.get(profile, (VERSIONS, None))
    if not version and markets is not None:
        raise RegistrationRefused(
            VERSION_REQUIRED.format(profile=profile, versions=" or ".join(versions)),
            code="version_required",
        )
    if version and version not in versions:
        raise RegistrationRefused(
            VERSION_NOT_OFFERED.format(
                profile=profile, versions=" or ".join(versions), version=version
            ),
            code="version_not_offered",
        )
    if markets is not None and country not in markets:
        raise RegistrationRefused(
            MARKET_NOT_OFFERED.format(
                profile=profile, country=country, markets=", ".join(sorted(markets))
            ),
            code="market_not_offered",
        )


def _not_a_network_profile(network: str, profile: str, enabled: Collection[str]) -> str:
    elsewhere = networks_for(profile, enabled)
    if elsewhere:
        return REGISTER_ELSEWHERE.format(
            network=network, profile=profile, networks=_either(elsewhere)
        )
    return NOT_A_NETWORK_PROFILE.format(
        profile=profile, network=network, offered=", ".join(profiles_of(network))
    )


def _either(names: list[str]) -> str:
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)
