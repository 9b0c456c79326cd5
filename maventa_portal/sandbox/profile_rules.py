"""What Maventa accepts in ``POST /v1/company/profiles`` and ``PUT .../extensions``.

Rules from API.md "Network profiles" (and the vendor overview beside it); error codes from
FIELDS.md section 3. A malformed body answers 400 ``invalid_parameters``; a well-formed request
Maventa will not serve answers 422 with one of its codes. Checks run in the order a reader
would: the body, the network, the profiles, the prerequisites, then conflicts. To support a new
profile or extension, add a line to ``PEPPOL_PROFILES``, ``PROFILES_BY_NETWORK`` or
``EXTENSIONS`` (and to the portal's table: tests/contract/test_profile_rules_agree.py runs
every network, profile, version and country through both, through ``check_rules`` here).
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from .endpoints import VISMA_ADDRESSED, bid_digits, market_of, resolve_endpoint
from .models import Company, Registration
from .responses import BadRequest

NETWORKS = (
    "VISMA",
    "PEPPOL",
    "NEMHANDEL",
    "AISPROOM",
    "BANK",
    "SCAN",
    "INEXCHANGE",
    "VISMASCANNER",
    "RECEIVABLES",
    "SCAN_DOCUMENTS",  # API.md's current name for VISMASCANNER (FIELDS.md section 12, item 9)
)
# Two spellings of one network: a conflict or a filter on either finds both.
SAME_NETWORK = {"SCAN_DOCUMENTS": "VISMASCANNER"}
BY_AGREEMENT = ("INEXCHANGE", "NEMHANDEL")
# Receiving through these needs VISMA invoice receiving first (API.md, VISMA row).
NEEDS_VISMA = ("PEPPOL", "SCAN", "SCAN_DOCUMENTS", "VISMASCANNER", "INEXCHANGE", "NEMHANDEL")
# Networks that follow the Peppol profile table, versions and markets included: the table is
# the only list of document profiles API.md gives, and "Profiles other than invoices need
# profile_version" whichever network registers them (the version is the format delivered;
# documents are never converted). VISMA is the internal receiving the others deliver into.
PEPPOL_STYLE = ("VISMA", "PEPPOL", "INEXCHANGE", "NEMHANDEL")

INVOICES = "INVOICE_AND_CREDIT_NOTE"
DEPRECATED_PROFILES = ("INVOICE", "CREDIT_NOTE")
VERSIONS = ("PEPPOLBIS30", "EHF30")
_ORDERING_MARKETS = ("FI", "NO", "SE", "DK", "NL")


@dataclass(frozen=True)
class PeppolProfile:
    versions: tuple[str, ...]  # empty: no version needed, any known one accepted
    markets: tuple[str, ...] | None  # None: every market


PEPPOL_PROFILES = {
    INVOICES: PeppolProfile((), None),
    **{
        name: PeppolProfile(VERSIONS, _ORDERING_MARKETS)
        for name in (
            "ORDER",
            "ORDER_RESPONSE",
            "CATALOGUE",
            "CATALOGUE_RESPONSE",
            "DESPATCH_ADVICE",
            "REMINDER",
        )
    },
    "INVOICE_RESPONSE": PeppolProfile(("PEPPOLBIS30",), (*_ORDERING_MARKETS, "BE")),
    "MESSAGE_LEVEL_RESPONSE": PeppolProfile(("PEPPOLBIS30",), (*_ORDERING_MARKETS, "BE")),
}
# The other networks' profiles. BANK and SCAN carry invoices ("Finnish bank network", "scanned
# paper invoices"); the vendor overview lists VOUCHER alone under SCAN_DOCUMENTS and calls
# unlisted profiles deprecated or experimental (API.md, Networks).
SCAN_DOCUMENT_PROFILES = ("VOUCHER",)
PROFILES_BY_NETWORK = {
    **{network: tuple(PEPPOL_PROFILES) for network in PEPPOL_STYLE},
    "BANK": (INVOICES,),
    "SCAN": (INVOICES,),
    "VISMASCANNER": SCAN_DOCUMENT_PROFILES,
}
# extension -> (countries of the company, profiles it extends) (API.md: GACCOUNT10, NL only).
EXTENSIONS = {"GACCOUNT10": (("NL",), (INVOICES,))}

VISMA_FIRST = "VISMA invoice receiving must be enabled first"
DEPRECATED = "{profile} is deprecated: use INVOICE_AND_CREDIT_NOTE"


class Refused(Exception):
    """A request Maventa answers with 422 and ``code``. ``rule`` names the rule that refused
    it (Maventa answers ``profile_not_supported`` for all of them); never sent, it lets the
    tests compare this side's reasons with the portal's."""

    def __init__(self, code: str, message: str, *, rule: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.rule = rule or code


def _not_supported(rule: str, message: str) -> Refused:
    return Refused("profile_not_supported", message, rule=rule)


def same_network(network: str) -> str:
    return SAME_NETWORK.get(network, network)


def profiles_of(network: str) -> tuple[str, ...]:
    return PROFILES_BY_NETWORK.get(same_network(network), ())


def networks_like(network: str) -> list[str]:
    """Every spelling of ``network``, for queries."""
    return [name for name in NETWORKS if same_network(name) == same_network(network)]


@dataclass(frozen=True)
class Request:
    network: str
    profiles: list[str]
    profile_version: str | None = None
    endpoint_id: str | None = None
    scheme: str | None = None
    network_settings: dict[str, Any] | None = None


def parse_request(data: dict[str, Any]) -> Request:
    """The body's shape; every problem listed in one 400."""
    problems = []
    network = data.get("network") or "PEPPOL"
    if network not in NETWORKS:
        problems.append(f"network must be one of {', '.join(NETWORKS)}")
    profiles = data.get("profiles")
    if not profiles:
        problems.append("profiles is missing")
    elif not isinstance(profiles, list) or not all(isinstance(p, str) and p for p in profiles):
        problems.append("profiles must be a list of profile names")
    for name in ("profile_version", "endpoint_id", "scheme"):
        if data.get(name) is not None and not isinstance(data[name], str):
            problems.append(f"{name} must be a string")
    settings = data.get("network_settings")
    if settings is not None and not isinstance(settings, dict):
        problems.append("network_settings must be an object")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return Request(
        network=network,
        profiles=list(dict.fromkeys(profiles)),
        profile_version=data.get("profile_version") or None,
        endpoint_id=data.get("endpoint_id") or None,
        scheme=data.get("scheme") or None,
        network_settings=settings,
    )


def check_network(network: str, country: str, agreement_networks: Collection[str]) -> None:
    if network == "RECEIVABLES":
        raise _not_supported(
            "receivables_deprecated",
            "RECEIVABLES is deprecated: activate the service with PUT /v1/services/receivables",
        )
    if network == "AISPROOM":
        raise _not_supported("internal_network", "AISPROOM is for internal use only")
    if network in BY_AGREEMENT and network not in agreement_networks:
        raise _not_supported(
            "agreement_needed", f"{network} is available by separate agreement only"
        )
    if network == "BANK" and country != Company.Country.FI:
        raise _not_supported("bank_fi_only", "BANK is available for Finnish companies only")


def check_profiles(request: Request, market: str) -> None:
    for profile in request.profiles:
        if profile in DEPRECATED_PROFILES:
            raise _not_supported("deprecated_profile", DEPRECATED.format(profile=profile))
        if profile not in profiles_of(request.network):
            raise _not_supported("unknown_profile", f"{profile} is not a {request.network} profile")
        if request.network in PEPPOL_STYLE:
            _check_peppol_profile(profile, request.profile_version, market)


def _check_peppol_profile(profile: str, version: str | None, market: str) -> None:
    rule = PEPPOL_PROFILES[profile]
    if version is not None and version not in (rule.versions or VERSIONS):
        allowed = ", ".join(rule.versions or VERSIONS)
        raise _not_supported(
            "version_not_offered",
            f"profile_version {version} is not supported for {profile} (use {allowed})",
        )
    if version is None and rule.versions:
        raise _not_supported(
            "version_required", f"{profile} needs profile_version ({', '.join(rule.versions)})"
        )
    if rule.markets is not None and market not in rule.markets:
        raise _not_supported(
            "market_not_offered",
            f"{profile} is not supported in market {market or 'unknown'}"
            f" (only {', '.join(rule.markets)})",
        )


def live(company: Company):
    """The company's registrations that count: pending or active."""
    return company.registrations.filter(
        status__in=(Registration.Status.PENDING, Registration.Status.ACTIVE)
    )


def receives_in_visma(company: Company) -> bool:
    """VISMA invoice receiving pending or active: what the other networks need first."""
    return any(INVOICES in r.profiles for r in live(company).filter(network="VISMA"))


def check_rules(
    request: Request,
    *,
    country: str,
    market: str,
    agreement_networks: Collection[str],
    visma_receiving: bool,
) -> None:
    """Every rule that needs no endpoint: the network, its profiles, VISMA first. Pure, so
    that the contract tests run it over every combination without a company in a database."""
    check_network(request.network, country, agreement_networks)
    check_profiles(request, market)
    if request.network in NEEDS_VISMA and not visma_receiving:
        raise _not_supported("visma_first", VISMA_FIRST)


def check_conflicts(company: Company, request: Request, endpoint_id: str) -> None:
    """Maventa's three conflict codes (FIELDS.md section 3)."""
    if request.endpoint_id and bid_digits(company) not in re.sub(r"\D", "", endpoint_id):
        raise Refused(
            "profile_eia_bid_conflict",
            f"endpoint_id {endpoint_id} does not match the company's business ID {company.bid}",
        )
    same = Registration.objects.filter(
        network__in=networks_like(request.network),
        endpoint_id=endpoint_id,
        status__in=(Registration.Status.PENDING, Registration.Status.ACTIVE),
    )
    if same.exclude(company=company).exists():
        raise Refused(
            "profile_eia_conflict",
            f"endpoint_id {endpoint_id} is already in use in {request.network}",
        )
    for registration in same.filter(company=company):
        taken = [p for p in request.profiles if p in registration.profiles]
        if taken:
            raise Refused(
                "profile_name_conflict",
                f"{', '.join(taken)} is already {registration.status} in {request.network}"
                f" for endpoint_id {endpoint_id}",
            )


def check_registration(company: Company, request: Request) -> tuple[str, str]:
    """Raises ``Refused`` for what Maventa would refuse; returns ``(endpoint_id, scheme)``."""
    endpoint_id, scheme = resolve_endpoint(company, request.network)
    endpoint_id = request.endpoint_id or endpoint_id
    scheme = request.scheme or scheme
    # A Peppol scheme names the market (a DE:VAT endpoint is German); V154 names none.
    peppol_scheme = None if request.network in VISMA_ADDRESSED else request.scheme
    check_rules(
        request,
        country=company.country,
        market=market_of(company, peppol_scheme),
        agreement_networks=company.agreement_networks,
        visma_receiving=receives_in_visma(company),
    )
    check_conflicts(company, request, endpoint_id)
    return endpoint_id, scheme


def check_extensions(company: Company, registration: Registration, data: dict[str, Any]):
    """``PUT .../extensions``: returns ``(profile_name, extensions)`` or raises."""
    profile_name = data.get("profile_name")
    extensions = data.get("extensions")
    problems = []
    if not isinstance(profile_name, str) or not profile_name:
        problems.append("profile_name is missing")
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        problems.append("extensions must be a list of extension names")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    if profile_name not in registration.profiles:
        raise Refused(
            "profile_not_supported",
            f"{profile_name} is not one of this registration's profiles"
            f" ({', '.join(registration.profiles)})",
        )
    for extension in extensions:
        rule = EXTENSIONS.get(extension)
        if rule is None:
            raise Refused("profile_not_supported", f"Unknown extension {extension}")
        countries, profiles = rule
        if company.country not in countries:
            raise Refused(
                "profile_not_supported",
                f"{extension} is supported in {', '.join(countries)} only",
            )
        if profile_name not in profiles:
            raise Refused(
                "profile_not_supported",
                f"{extension} extends {', '.join(profiles)} only",
            )
    return profile_name, list(dict.fromkeys(extensions))
