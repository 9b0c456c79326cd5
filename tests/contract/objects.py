"""Invoices, documents and fraud reports in the sandbox for the contract test's calls that read
or change one (``test_client_requests.py``), made through the client itself and each only when
a call first asks for it (``Values``).

A sent invoice is the Finvoice sample sent by the contract company. A received invoice is the
same sample as its buyer (As Oy Koivukuja 5, a second sandbox company receiving on VISMA, API.md
"Network profiles") receives it; the calls about received invoices (fraud reports, Detect,
received-event marks) act as that buyer. While the sandbox does not serve what an object needs,
its id is a placeholder: the call is still sent and its request checked (see the test).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from maventa_portal.maventa_api import (
    EXCHANGE_SCOPES,
    Api,
    CompanyCredentials,
    Maventa,
    MaventaError,
)
from maventa_portal.maventa_api.ax import documents, invoices, notifications, profiles, reports
from tests.contract import spec as ax
from tests.contract.served import served_routes

WEBHOOK_DESTINATION = "https://portal.example.com/webhooks/maventa/?secret=contract"

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoices"
FINVOICE = (SAMPLES / "finvoice30-simple.xml").read_bytes()
ORDER = (SAMPLES / "peppol-bis3-order.xml").read_bytes()
# The parties of the samples: the Finvoice's buyer, and the order's seller (its recipient).
BUYER = {"name": "As Oy Koivukuja 5", "bid": "1060155-5", "eia": "003710601555"}
ORDER_RECIPIENT_EIA = "0037:003727812340"
PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def served(method: str, path: str) -> bool:
    """Whether the sandbox serves the operation (its URLconf, ``served.py``)."""
    wanted = (method, ax.shape(path))
    return any((r.method, ax.shape(r.template)) == wanted for r in served_routes() if r.api == "ax")


def unless_unserved(method: str, path: str, send: Callable[[], Any]) -> Any:
    """``send()``; None when it is refused because the sandbox does not serve the operation
    yet. A refusal of an operation it serves is raised."""
    try:
        return send()
    except MaventaError:
        if served(method, path):
            raise
        return None


class SandboxObjects:
    def __init__(self, sandbox, client: Maventa, company: dict) -> None:
        self.sandbox = sandbox
        self.client = client
        self.company = company

    def api(self, company: dict, scope: str = EXCHANGE_SCOPES) -> Api:
        credentials = CompanyCredentials(
            company["company_id"], company["api_key"], company["vendor_api_key"], scope=scope
        )
        return self.client.company(credentials)

    @cached_property
    def sent_invoice(self) -> invoices.Invoice | None:
        return unless_unserved(
            "POST",
            "/v1/invoices",
            lambda: invoices.send_invoice(
                self.api(self.company),
                file=FINVOICE,
                filename="invoice.xml",
                recipient_eia=BUYER["eia"],
            ),
        )

    @cached_property
    def buyer_company(self) -> dict:
        """The sample's buyer, receiving on VISMA."""
        buyer = self.sandbox.create_company(name=BUYER["name"], bid=BUYER["bid"], country="FI")
        profile = profiles.create_profile(
            self.api(buyer, scope=""), network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"]
        )
        self.sandbox.set_profile(profile.id, status="active")
        return buyer

    def buyer(self, scope: str = EXCHANGE_SCOPES) -> Api:
        return self.api(self.buyer_company, scope=scope)

    @cached_property
    def received_invoice_id(self) -> str:
        buyer = self.buyer()
        if self.sent_invoice is None:
            return PLACEHOLDER
        self.sandbox.tick()
        page = unless_unserved(
            "GET",
            "/v1/invoices",
            lambda: invoices.list_invoices(buyer, direction="RECEIVED", per_page=1),
        )
        return page.items[0].id if page and page.items else PLACEHOLDER

    def sent_invoice_id(self) -> str:
        return self.sent_invoice.id if self.sent_invoice else PLACEHOLDER

    def invoice_file_id(self) -> str:
        files = self.sent_invoice.files if self.sent_invoice else ()
        return files[0].id if files else PLACEHOLDER

    @cached_property
    def document(self) -> documents.Document | None:
        return unless_unserved(
            "POST",
            "/v1/documents",
            lambda: documents.send_document(
                self.api(self.company),
                file=ORDER,
                filename="order.xml",
                type="ORDER",
                recipient_eia=ORDER_RECIPIENT_EIA,
                recipient_operator="PEPPOL",
            ),
        )

    def document_id(self) -> str:
        return self.document.id if self.document else PLACEHOLDER

    def document_file_id(self) -> str:
        files = self.document.files if self.document else ()
        return files[0].id if files else PLACEHOLDER

    def report_id(self) -> str:
        """A report of the received invoice by its buyer, made if there is none yet."""
        invoice_id, path = self.received_invoice_id, "/v1/invoices/{id}/reports"
        found = unless_unserved(
            "GET", path, lambda: reports.list_reports(self.buyer(), invoice_id=invoice_id)
        )
        if found == []:
            unless_unserved(
                "POST",
                path,
                lambda: reports.report_invoice(
                    self.buyer(),
                    invoice_id=invoice_id,
                    reason=["UNKNOWN_COMPANY"],
                    contact_email="fraud@example.com",
                ),
            )
            found = reports.list_reports(self.buyer(), invoice_id=invoice_id)
        return found[0].id if found else PLACEHOLDER

    def notification_id(self) -> str:
        """A webhook subscription of the company, made when first needed."""
        made = unless_unserved(
            "POST",
            "/v1/company/notifications",
            lambda: notifications.create_notification(
                self.api(self.company, scope=notifications.SCOPE),
                destination_type="WEBHOOK",
                destination=WEBHOOK_DESTINATION,
                events=["DOCUMENTS.INVOICE.*"],
            ),
        )
        return made.id if made else PLACEHOLDER
