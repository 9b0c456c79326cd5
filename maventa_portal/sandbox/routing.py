"""Which route a sent invoice takes, as Maventa chooses it (API.md "Invoices"; FIELDS.md 5).

E-invoice first, when the recipient's address reaches someone (a sandbox company receiving
invoices: VISMA, Maventa's own network; an external participant: its network; an address
with a known operator given: OPERATOR); then email, when an address is given; then print,
in the countries Maventa prints in. A route in ``disabled_routes`` is skipped. With no route
left the invoice fails, which is how an unknown e-invoice address ends with print and email
disabled.
"""

from dataclasses import dataclass

from . import directory

EINVOICE, EMAIL, PRINT = "einvoice", "email", "print"
ROUTES = (EINVOICE, EMAIL, PRINT)
# Countries of Maventa's print service (its print settings name FI, SE, NO, DK, NL).
PRINT_COUNTRIES = ("FI", "SE", "NO", "DK", "NL")
# Action channels (InvoiceAction.channel) of each destination.
CHANNELS = {"VISMA": "EINVOICE", "PEPPOL": "EINVOICE", "OPERATOR": "EINVOICE"}
CHANNELS |= {"EMAIL": "EMAIL", "PRINT": "PRINT"}

NO_ROUTE = "No route to the recipient: {reasons}"
UNKNOWN_ADDRESS = "e-invoice address {eia} not found"
NO_ADDRESS = "no e-invoice address"
DISABLED = "{route} disabled"
NO_EMAIL = "no email address"
NO_PRINT = "print not available in {country}"


@dataclass(frozen=True)
class Route:
    destination: str = ""  # VISMA, PEPPOL, OPERATOR, EMAIL or PRINT; "" when none
    receiver: directory.Participant | None = None
    failure: str = ""

    @property
    def channel(self) -> str:
        return CHANNELS.get(self.destination, "")


def route_invoice(
    *,
    eia: str,
    operator: str,
    email: str,
    country: str,
    disabled: list[str],
    only: str | None = None,
) -> Route:
    """The route of one send; ``only`` forces one route (a reroute)."""
    reasons = []
    for route in (only,) if only else ROUTES:
        if route in disabled and not only:
            reasons.append(DISABLED.format(route=route))
            continue
        found, reason = _try(route, eia=eia, operator=operator, email=email, country=country)
        if found is not None:
            return found
        reasons.append(reason)
    return Route(failure=NO_ROUTE.format(reasons=", ".join(reasons)))


def _try(route: str, *, eia: str, operator: str, email: str, country: str):
    if route == EINVOICE:
        if not eia:
            return None, NO_ADDRESS
        receiver = directory.find_receiver(eia)
        if receiver is not None:
            destination = "VISMA" if receiver.company is not None else receiver.network
            return Route("OPERATOR" if destination == "EXTERNAL" else destination, receiver), ""
        if operator in directory.OPERATOR_IDS:
            return Route("OPERATOR"), ""
        return None, UNKNOWN_ADDRESS.format(eia=eia)
    if route == EMAIL:
        return (Route("EMAIL"), "") if email else (None, NO_EMAIL)
    if country.upper() in PRINT_COUNTRIES:
        return Route("PRINT"), ""
    return None, NO_PRINT.format(country=country or "an unknown country")
