"""What a document file says of itself: its kind, its number, who sends it and to whom.

``exchange.formats.detect`` names the format and the kind; the parties of a document that is
not an invoice sit in other elements than an invoice's, so they are read here, through the
same hardened parser (``exchange.formats.safe_xml``). Maventa reads the recipient from a
supported XML too (API.md "Documents"), but the portal shows staff what it will be before
anything is sent, and asks for what the file does not say.

- UBL (Peppol BIS 3, EHF): each root names its sending and receiving party (the table below,
  from the UBL 2.1 document models); an EndpointID is the electronic address.
- Finvoice: the message transmission details carry both addresses and the recipient's
  operator (ToIntermediator); names come from the seller and buyer details, the buyer being
  the sender of an order.
- TEAPPSXML, and files the portal does not read (PDF vouchers, bank files...): the kind at
  most; staff give the recipient.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from exchange import formats
from exchange.formats import values
from exchange.formats.safe_xml import parse_xml

UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_ORDERED = ("BuyerCustomerParty", "SellerSupplierParty")
_ANSWERED = ("SellerSupplierParty", "BuyerCustomerParty")
# Root element: (the sender's party, the recipient's party).
UBL_PARTIES = {
    "Order": _ORDERED,
    "OrderChange": _ORDERED,
    "OrderCancellation": _ORDERED,
    "OrderResponse": _ANSWERED,
    "OrderResponseSimple": _ANSWERED,
    "DespatchAdvice": ("DespatchSupplierParty", "DeliveryCustomerParty"),
    "ReceiptAdvice": ("DeliveryCustomerParty", "DespatchSupplierParty"),
    "Catalogue": ("ProviderParty", "ReceiverParty"),
    "ApplicationResponse": ("SenderParty", "ReceiverParty"),
    "Reminder": ("AccountingSupplierParty", "AccountingCustomerParty"),
    "Invoice": ("AccountingSupplierParty", "AccountingCustomerParty"),
    "CreditNote": ("AccountingSupplierParty", "AccountingCustomerParty"),
}


@dataclass(frozen=True)
class PartyRead:
    name: str = ""
    eia: str = ""
    bid: str = ""
    country: str = ""
    operator: str = ""


@dataclass(frozen=True)
class DocumentRead:
    """What the file says; ``detected`` is None for a file in no format the portal reads."""

    detected: formats.DetectedFormat | None = None
    number: str = ""
    sender: PartyRead = field(default_factory=PartyRead)
    recipient: PartyRead = field(default_factory=PartyRead)
    unread: str = ""  # why the file could not be read, for staff

    @property
    def kind(self) -> str:
        return self.detected.kind.value if self.detected else ""


def read_document(data: bytes) -> DocumentRead:
    """Reads ``data``; a file too large or unsafe is refused (``InvoiceFileError``), one in no
    format the portal reads is a document all the same, with nothing read."""
    try:
        # detect() parses once more; a document is read once per upload, at most 10 MB.
        detected = formats.detect(data)
        root = parse_xml(data)
    except (formats.NotXml, formats.UnknownFormat) as exc:
        return DocumentRead(unread=exc.staff_message)
    if detected.root == "Finvoice":
        return _finvoice(root, detected)
    if detected.root in UBL_PARTIES:
        return _ubl(root, detected, *UBL_PARTIES[detected.root])
    return DocumentRead(detected=detected)


def _ubl(root: etree._Element, detected, sender: str, recipient: str) -> DocumentRead:
    return DocumentRead(
        detected=detected,
        number=values.text(root.find("cbc:ID", UBL)),
        sender=_ubl_party(root.find(f"cac:{sender}", UBL)),
        recipient=_ubl_party(root.find(f"cac:{recipient}", UBL)),
    )


def _ubl_party(role: etree._Element | None) -> PartyRead:
    if role is None:
        return PartyRead()
    # Most roles wrap a cac:Party; ApplicationResponse's and Catalogue's roles are parties.
    party = role.find("cac:Party", UBL)
    party = role if party is None else party
    endpoint = party.find("cbc:EndpointID", UBL)
    identifier = values.text(endpoint)
    scheme = values.address_scheme(
        identifier, "" if endpoint is None else endpoint.get("schemeID", "")
    )

    def text(path: str) -> str:
        return values.text(party.find(path, UBL))

    return PartyRead(
        name=text("cac:PartyLegalEntity/cbc:RegistrationName") or text("cac:PartyName/cbc:Name"),
        eia=f"{scheme}:{identifier}" if scheme and identifier else identifier,
        bid=text("cac:PartyLegalEntity/cbc:CompanyID") or text("cac:PartyIdentification/cbc:ID"),
        country=text("cac:PostalAddress/cac:Country/cbc:IdentificationCode")[:2],
    )


def _finvoice(root: etree._Element, detected) -> DocumentRead:
    ordering = detected.kind is formats.DocumentKind.ORDER
    sender, recipient = ("Buyer", "Seller") if ordering else ("Seller", "Buyer")
    transmission = "MessageTransmissionDetails/"
    return DocumentRead(
        detected=detected,
        number=values.text(root.find("InvoiceDetails/InvoiceNumber")),
        sender=_finvoice_party(
            root, sender, root.find(f"{transmission}MessageSenderDetails/FromIdentifier")
        ),
        recipient=_finvoice_party(
            root,
            recipient,
            root.find(f"{transmission}MessageReceiverDetails/ToIdentifier"),
            operator=values.text(
                root.find(f"{transmission}MessageReceiverDetails/ToIntermediator")
            ),
        ),
    )


def _finvoice_party(root, role: str, address, operator: str = "") -> PartyRead:
    details = root.find(f"{role}PartyDetails")
    identifier = values.text(address)
    scheme = values.address_scheme(
        identifier, "" if address is None else address.get("SchemeID", "")
    )
    if details is None:
        details = etree.Element("none")
    return PartyRead(
        name=" ".join(values.text(e) for e in details.iterfind(f"{role}OrganisationName")),
        eia=f"{scheme}:{identifier}" if scheme and identifier else identifier,
        bid=values.text(details.find(f"{role}PartyIdentifier")),
        country=values.text(details.find(f"{role}PostalAddressDetails/CountryCode"))[:2],
        operator=operator,
    )
