"""The endpoint a registration gets: ``(endpoint_id, scheme)`` from the company's identifiers.

API.md "Network profiles": VISMA answers scheme V154 with the company's e-invoice address; Peppol
uses the country's default scheme (NO 0192, SE 0007, FI 0216, DK 0182, NL 0106, DE 9930) with
the business id digits, prefixed 0037 in Finland. The market of a profile follows the scheme
when one is given (a DE:VAT endpoint is German), else the company's country.
"""

import re

from .models import Company

PEPPOL_SCHEMES = {
    "NO": "0192",
    "SE": "0007",
    "FI": "0216",
    "DK": "0182",
    "NL": "0106",
    "DE": "9930",
}
SCHEME_MARKETS = {
    **{scheme: country for country, scheme in PEPPOL_SCHEMES.items()},
    "0037": "FI",
    "9944": "NL",
    "0208": "BE",
    "9925": "BE",
}
VISMA_SCHEME = "V154"
# Networks registered under the company's Visma address rather than a Peppol identifier
# (assumed: scanning delivers into Maventa itself); BANK uses the Finnish OVT, as Peppol does.
VISMA_ADDRESSED = ("VISMA", "SCAN", "VISMASCANNER", "SCAN_DOCUMENTS")


def bid_digits(company: Company) -> str:
    return re.sub(r"\D", "", company.bid)


def resolve_endpoint(company: Company, network: str) -> tuple[str, str]:
    digits = bid_digits(company)
    finnish = f"0037{digits}" if company.country == Company.Country.FI else digits
    if network in VISMA_ADDRESSED:
        return company.eia or finnish, VISMA_SCHEME
    return finnish, PEPPOL_SCHEMES.get(company.country, "")


def market_of(company: Company, scheme: str | None) -> str:
    if scheme:
        return SCHEME_MARKETS.get(scheme, "")
    return company.country
