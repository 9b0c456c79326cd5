"""The receivables app's part of Maventa's webhooks: the newer Amili onboarding's outcome
(``SERVICES.RECEIVABLES.ACTIVATED`` / ``REJECTED``, names assumed in ``maventa_api.amili``).

Exchange receives and stores the event, and hands it here through ``core.webhook_handlers``
(registered in ``apps.py``), outside any transaction. The payload is not trusted for the state:
the company's activation is read again from Maventa (GET v2), and the event only says when.
"""

from __future__ import annotations

from typing import Any

from companies.models import Company
from maventa_portal.core import webhook_handlers
from maventa_portal.maventa_api import amili

from .services import activation

TOLD = {amili.ACTIVATED_EVENT: "activated", amili.REJECTED_EVENT: "rejected"}
NO_COMPANY = "No company in the portal: nothing to update."
OUTCOME = "Receivables of {company} {told} by Maventa; read again: {status}."


def on_service_event(*, company: Company | None, name: str, data: dict[str, Any]) -> str:
    """The outcome to record on the event."""
    if company is None:
        return NO_COMPANY
    told = TOLD.get(name, name.rsplit(".", 1)[-1].lower())
    row = activation.refresh_as(company=company, api_version=2)
    return OUTCOME.format(company=company.name, told=told, status=row.status)


def register() -> None:
    webhook_handlers.register(amili.EVENT_PREFIX, on_service_event)
