"""Who can be reached, and through whom: operators, external participants, the receivers lookup.

Maventa answers lookups from its own registrations and from the networks it is connected to
(FIELDS.md section 7). The sandbox does the same with the companies it holds (an active VISMA
registration is the INTERNAL network, an active PEPPOL one the PEPPOL network) and with the
fixed participants below, which include the buyers of the sandbox's own samples so that a
sample sent from the portal finds its recipient. Addresses are ``scheme:identifier``; a
Finnish OVT code given alone is read as scheme 0037.
"""

import re
from dataclasses import dataclass, field

from .models import Company, Registration

# Maventa's own operator (e-invoice intermediator) code, as its customers' OVT addresses show.
MAVENTA_OPERATOR = "003721291126"

# (operator_id, name, country): what GET /v1/entities/operators lists; operator_id is what
# recipient_operator takes (FIELDS.md section 7). Finnish operators by their OVT or BIC code.
OPERATORS = (
    (MAVENTA_OPERATOR, "Maventa", "FI"),
    ("003723327487", "Apix Messaging", "FI"),
    ("BAWCFI22", "Basware", "FI"),
    ("003703575029", "CGI", "FI"),
    ("003701011385", "Tietoevry", "FI"),
    ("E204503", "OpusCapita", "FI"),
    ("PAGERO", "Pagero", "SE"),
    ("INEXCHANGE", "InExchange", "SE"),
    ("NDEAFIHH", "Nordea", "FI"),
    ("OKOYFIHH", "OP", "FI"),
    ("DABAFIHH", "Danske Bank", "FI"),
    ("HELSFIHH", "Aktia", "FI"),
    ("EVRY", "Tietoevry Norge", "NO"),
    ("NEMHANDEL", "NemHandel", "DK"),
)
OPERATOR_IDS = frozenset(op for op, _, _ in OPERATORS)

# ISO 6523 codes of the addresses met here, with Peppol's names for them.
EAID_NAMES = {
    "0002": "FR:SIRENE",
    "0007": "SE:ORGNR",
    "0037": "FI:OVT",
    "0088": "GLN",
    "0106": "NL:KVK",
    "0182": "DK:DIGST",
    "0184": "DK:CVR",
    "0192": "NO:ORG",
    "0208": "BE:EN",
    "0216": "FI:OVT2",
    "9930": "DE:VAT",
    "9944": "NL:VAT",
    "V154": "VISMA",
}
PEPPOL_ID_SCHEME = "iso6523-actorid-upis"
_OVT = re.compile(r"0037\d{8}[0-9A-Za-z]{0,5}")

# Peppol's identifiers of the document types a profile receives (FIELDS.md section 7).
_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
_BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
DOCUMENT_TYPES = {
    "INVOICE_AND_CREDIT_NOTE": (
        ("INVOICE", f"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##{_BILLING}"),
        (
            "CREDIT_NOTE",
            f"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##{_BILLING}",
        ),
    ),
    "ORDER": (
        (
            "ORDER",
            "urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order"
            "##urn:fdc:peppol.eu:poacc:trns:order:3::2.1",
        ),
    ),
    "ORDER_RESPONSE": (
        (
            "ORDER_RESPONSE",
            "urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2::OrderResponse"
            "##urn:fdc:peppol.eu:poacc:trns:order_response:3::2.1",
        ),
    ),
    "DESPATCH_ADVICE": (
        (
            "DESPATCH_ADVICE",
            "urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2::DespatchAdvice"
            "##urn:fdc:peppol.eu:poacc:trns:despatch_advice:3::2.1",
        ),
    ),
}
_PROCESSES = {
    "ORDER": "urn:fdc:peppol.eu:poacc:bis:ordering:3",
    "ORDER_RESPONSE": "urn:fdc:peppol.eu:poacc:bis:ordering:3",
    "DESPATCH_ADVICE": "urn:fdc:peppol.eu:poacc:bis:despatch_advice:3",
}


@dataclass(frozen=True)
class Participant:
    name: str
    bid: str
    country: str
    eia: str  # scheme:identifier
    network: str  # PEPPOL, INTERNAL or EXTERNAL (the lookup's network names)
    operator: str
    profiles: tuple[str, ...] = ("INVOICE_AND_CREDIT_NOTE",)
    company: Company | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        return str(self.company.pk) if self.company else f"{self.country}-{self.bid}"

    @property
    def document_types(self) -> set[str]:
        return {kind for p in self.profiles for kind, _ in DOCUMENT_TYPES.get(p, ())}


# Participants outside the sandbox: the buyers and sellers of its samples, and a few more.
EXTERNAL = (
    Participant(
        "As Oy Koivukuja 5", "1060155-5", "FI", "0037:003710601555", "EXTERNAL", MAVENTA_OPERATOR
    ),
    Participant(
        "Kiinteistö Oy Satamakatu 3",
        "2468135-7",
        "FI",
        "0037:003724681357",
        "EXTERNAL",
        "003703575029",
    ),
    Participant(
        "Insinööritoimisto Mäkelä Oy",
        "0912797-2",
        "FI",
        "0037:003709127972001",
        "EXTERNAL",
        "003723327487",
        ("INVOICE_AND_CREDIT_NOTE", "ORDER"),
    ),
    Participant(
        "Toimistotarvike Lahtinen Oy",
        "2781234-0",
        "FI",
        "0216:003727812340",
        "PEPPOL",
        "003723327487",
        ("INVOICE_AND_CREDIT_NOTE", "ORDER", "ORDER_RESPONSE"),
    ),
    Participant(
        "Vestland Eiendom AS",
        "998877660",
        "NO",
        "0192:998877660",
        "PEPPOL",
        "EVRY",
        ("INVOICE_AND_CREDIT_NOTE", "ORDER_RESPONSE"),
    ),
    Participant(
        "Bergen Rådgivning AS",
        "923456783",
        "NO",
        "0192:923456783",
        "PEPPOL",
        "EVRY",
        ("INVOICE_AND_CREDIT_NOTE", "ORDER"),
    ),
    Participant("Buyer Official Name", "39937423947", "SE", "0002:FR23342", "PEPPOL", "PAGERO"),
    Participant("Buyer Official Name", "4598375937", "SE", "0002:4598375937", "PEPPOL", "PAGERO"),
    Participant("The Buyercompany", "12345678", "DK", "0184:12345678", "PEPPOL", "NEMHANDEL"),
    Participant(
        "Nordlys Bygg AB",
        "5567891234",
        "SE",
        "0007:5567891234",
        "PEPPOL",
        "INEXCHANGE",
        ("INVOICE_AND_CREDIT_NOTE", "ORDER", "DESPATCH_ADVICE"),
    ),
    Participant("Kanaal Techniek B.V.", "34567890", "NL", "0106:34567890", "PEPPOL", "PAGERO"),
    Participant(
        "Järvisen Konepaja Oy", "2980214-6", "FI", "0037:003729802146", "EXTERNAL", "OKOYFIHH"
    ),
)


def identifier(eia: str) -> str:
    """The identifier part of an address: ``0192:123`` -> ``123``."""
    return eia.rpartition(":")[2].strip()


def normalise(eia: str) -> str:
    """``scheme:identifier``; a bare Finnish OVT code gets scheme 0037."""
    eia = eia.strip()
    if ":" not in eia and _OVT.fullmatch(eia):
        return f"0037:{eia}"
    return eia


def sandbox_participants(networks: tuple[str, ...] = ("VISMA", "PEPPOL")) -> list[Participant]:
    """One entry per active registration of a sandbox company on ``networks``."""
    found = Registration.objects.filter(
        status=Registration.Status.ACTIVE, network__in=networks
    ).select_related("company")
    return [
        Participant(
            name=r.company.name,
            bid=r.company.bid,
            country=r.company.country,
            eia=f"{r.scheme}:{r.endpoint_id}",
            network="INTERNAL" if r.network == "VISMA" else r.network,
            operator=MAVENTA_OPERATOR,
            profiles=tuple(r.profiles),
            company=r.company,
        )
        for r in found.order_by("company__name", "created_at")
    ]


def all_participants() -> list[Participant]:
    return [*sandbox_participants(), *EXTERNAL]


def find_receiver(eia: str, document_type: str = "INVOICE") -> Participant | None:
    """Who receives ``document_type`` at ``eia``: a sandbox company first, else an external one.

    Addresses compare by their identifier (a Finnish OVT code is the same company whether its
    scheme is written 0037 or 0216); a sandbox company is also found by its own OVT address.
    """
    wanted = identifier(normalise(eia))
    if not wanted:
        return None
    for participant in all_participants():
        if identifier(participant.eia) == wanted and document_type in participant.document_types:
            return participant
    company = Company.objects.filter(eia=wanted).first()
    if company is not None:
        receiving = [p for p in sandbox_participants() if p.company and p.company.pk == company.pk]
        return next((p for p in receiving if document_type in p.document_types), None)
    return None


def as_receiver(participant: Participant) -> dict:
    """``APIEntitiesLookupEntryReceiver`` (FIELDS.md section 7)."""
    scheme = participant.eia.partition(":")[0]
    return {
        "eia": participant.eia,
        "identifier": {
            "scheme": PEPPOL_ID_SCHEME if participant.network == "PEPPOL" else scheme,
            "eaid_name": EAID_NAMES.get(scheme, scheme),
            "eaid_code": scheme,
            "endpoint_id": identifier(participant.eia),
        },
        "network": participant.network,
        "operator": participant.operator,
        "document_types": [
            {
                "document_type": kind,
                "document_identifier": document_identifier,
                "process_identifier": _PROCESSES.get(kind, _BILLING_PROCESS),
            }
            for profile in participant.profiles
            for kind, document_identifier in DOCUMENT_TYPES.get(profile, ())
        ],
        "participant": {
            "id": participant.id,
            "name": participant.name,
            "bid": participant.bid,
            "country": participant.country,
        },
    }
