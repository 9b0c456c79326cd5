"""Invoices arriving from outside: the control API's generator and the demo's trickle.

``generate`` makes RECEIVED invoices for a company from the sandbox's samples
(``sample_rewrite``): a sender from ``registry.SENDERS`` (a Finnish one for Finvoice and
TEAPPSXML, a Norwegian one for EHF), a new number, the amounts times a whole factor, the
company as buyer, ``received_at`` spread evenly over ``[since, until]``, both ends included; about
half come with a PDF image and a quarter with an attachment, a tenth arrive by scan, and a tenth
carry the sender's other bank account. Each is read back by the sandbox's own reader, so the
invoice's fields are what its XML says. ``trickle`` makes ``incoming_per_hour`` of them appear
for each verified company receiving invoices, as time passes (run by reads and by tick).
"""

import datetime
import math
import threading
from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from . import einvoice, invoices, samples
from .endpoints import resolve_endpoint
from .exchange_schedule import exchange_schedule, rng
from .models import Company, Invoice, Registration
from .pdf import text_pdf
from .registry import SENDERS, Sender
from .sample_rewrite import Changes, Who, rewrite
from .uploads import Upload

BY_FORMAT = {
    "FINVOICE30": (
        "finvoice30-simple.xml",
        "finvoice30-vat-rates.xml",
        "finvoice30-credit-note.xml",
    ),
    "PEPPOLBIS30": (
        "peppol/base-example.xml",
        "peppol/Allowance-example.xml",
        "peppol/sales-order-example.xml",
        "peppol/vat-category-Z.xml",
    ),
    "EHF": ("ehf30-billing-invoice.xml",),
    "TEAPPS30": ("teappsxml30-invoice.xml",),
}
FORMATS = (*BY_FORMAT, "MIXED")
# Credit notes are rarer than invoices.
_RARE = {"finvoice30-credit-note.xml"}
MAX_COUNT = 200
TRICKLE_CAP = 20


def _samples_for(format_: str, company: Company) -> tuple[str, ...]:
    if format_ != "MIXED":
        return BY_FORMAT[format_]
    if company.country == "FI":
        return (*BY_FORMAT["FINVOICE30"], *BY_FORMAT["TEAPPS30"], *BY_FORMAT["PEPPOLBIS30"])
    if company.country == "NO":
        return (*BY_FORMAT["EHF"], *BY_FORMAT["PEPPOLBIS30"])
    return BY_FORMAT["PEPPOLBIS30"]


def buyer_of(company: Company) -> Who:
    """The company as a buyer: its Peppol address when registered, else its default one."""
    peppol = company.registrations.filter(
        network="PEPPOL", status=Registration.Status.ACTIVE
    ).first()
    endpoint_id, scheme = (
        (peppol.endpoint_id, peppol.scheme) if peppol else resolve_endpoint(company, "PEPPOL")
    )
    eia = (
        f"{scheme or '0037'}:{company.eia or endpoint_id}"
        if company.country == "FI"
        else (f"{scheme}:{endpoint_id}")
    )
    return Who(company.name, company.bid, company.country, eia, company.vat)


def _reference(sender: Sender, number: int) -> str:
    """A Finnish reference number (7-3-1 check digit) for Finnish senders, else the number."""
    base = str(number)
    if sender.who.country != "FI":
        return base
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(base)))
    return f"{base}{(10 - total % 10) % 10}"


def _senders_for(sample: str) -> list[Sender]:
    """Finnish formats come from Finnish senders, EHF from Norwegian ones, Peppol from anyone."""
    country = "FI" if sample.startswith(("finvoice", "teapps")) else None
    country = "NO" if sample.startswith("ehf") else country
    return [s for s in SENDERS if country is None or s.who.country == country]


def _one(company: Company, sample: str, received_at: datetime.datetime) -> Invoice:
    sender = rng.choice(_senders_for(sample))
    seller = sender.who
    if rng.random() < 0.1:
        seller = replace(seller, iban=sender.other_iban)
    number = rng.randrange(10_000, 99_999)
    issued = (received_at - timedelta(days=rng.randrange(0, 3))).date()
    changes = Changes(
        number=f"{sender.prefix}-{number}",
        issued=issued,
        due=issued + timedelta(days=rng.choice((7, 14, 21, 30))),
        reference=_reference(sender, number),
        factor=rng.randrange(1, 10),
        seller=seller,
        buyer=buyer_of(company),
    )
    xml = rewrite(samples.read_sample(sample), changes)
    read = einvoice.read_invoice(xml)
    image = None
    if rng.random() < 0.5:
        image = Upload("invoice.pdf", _image(read), "application/pdf")
    attachments = []
    if rng.random() < 0.25:
        lines = [f"Specification of invoice {read.number}", "", "Hours and materials as agreed."]
        attachments.append(Upload("specification.pdf", text_pdf(lines), "application/pdf"))
    scanned = rng.random() < 0.1
    return invoices.receive_invoice(
        company=company,
        read=read,
        files=(Upload("invoice.xml", xml, "application/xml"), image, attachments),
        at=received_at,
        origin=Invoice.Origin.SCAN if scanned else Invoice.Origin.EXTERNAL,
        # Finnish OVT addresses come through the operators' network, others through Peppol.
        network="SCAN" if scanned else ("OPERATOR" if seller.eia.startswith("0037:") else "PEPPOL"),
    )


def _image(read: einvoice.EInvoice) -> bytes:
    lines = [
        f"{read.detected.kind.replace('_', ' ').title()} {read.number}",
        "",
        f"Seller: {read.seller.name} ({read.seller.bid})",
        f"Buyer: {read.buyer.name} ({read.buyer.bid})",
        f"Date: {read.date}   Due: {read.date_due}",
        f"Total without VAT: {read.sum} {read.currency}",
        f"Total with VAT: {read.sum_tax} {read.currency}",
        f"Reference: {read.reference}",
    ]
    return text_pdf(lines, title=f"Invoice {read.number}")


def generate(
    company: Company,
    *,
    count: int,
    format_: str = "MIXED",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> list[Invoice]:
    """``count`` RECEIVED invoices for ``company``, oldest first."""
    until = until or timezone.now()
    since = since or until - timedelta(days=30)
    step = (until - since) / (count - 1) if count > 1 else timedelta(0)
    names = _samples_for(format_, company)
    weights = [1 if name in _RARE else 4 for name in names]
    made = []
    for index in range(count):
        sample = rng.choices(names, weights)[0]
        at = until if count == 1 else since + step * index
        made.append(_one(company, sample, at.replace(microsecond=0)))
    return made


class _Trickle:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.last: datetime.datetime | None = None
        self.carry: dict[str, float] = {}

    def due(self, now: datetime.datetime, rate: float) -> float:
        """Invoices per company owed since the last call (the first call starts the clock)."""
        with self._lock:
            last, self.last = self.last, now
        return 0.0 if last is None else rate * (now - last).total_seconds() / 3600


trickle_state = _Trickle()


def receiving_companies():
    return Company.objects.filter(
        company_state=Company.State.VERIFIED,
        registrations__network="VISMA",
        registrations__status=Registration.Status.ACTIVE,
    ).distinct()


def trickle(now: datetime.datetime) -> int:
    rate = exchange_schedule.config.incoming_per_hour
    if rate <= 0:
        trickle_state.reset()
        return 0
    owed = trickle_state.due(now, rate)
    made = 0
    for company in receiving_companies():
        key = str(company.pk)
        total = trickle_state.carry.get(key, 0.0) + owed
        count = min(math.floor(total), TRICKLE_CAP)
        trickle_state.carry[key] = total - math.floor(total)
        if count:
            made += len(generate(company, count=count, since=now - timedelta(minutes=1), until=now))
    return made
