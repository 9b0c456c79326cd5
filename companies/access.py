"""The Maventa API handle for a company, and the KYC guard every send and receive passes."""

from __future__ import annotations

from maventa_portal import maventa
from maventa_portal.core.crypto import UnreadableSecret
from maventa_portal.core.errors import PortalError
from maventa_portal.maventa_api import Api, CompanyCredentials

from .models import Company

NO_CREDENTIALS = "{company} has no stored API key: add one on its page before using Maventa."
NOT_ON_MAVENTA = "{company} is not on Maventa yet: create or link it first."
NOT_VERIFIED = (
    "{company} has not completed Maventa's customer verification (KYC, state {state}); "
    "sending and receiving open once it is verified."
)


class CompanyNotReady(PortalError):
    """The company cannot use Maventa yet; ``staff_message`` says what to do first."""


def credentials_for(company: Company, *, scope: str = "") -> CompanyCredentials:
    if company.maventa_id is None:
        raise CompanyNotReady(NOT_ON_MAVENTA.format(company=company))
    credential = getattr(company, "credential", None)
    if credential is None:
        raise CompanyNotReady(NO_CREDENTIALS.format(company=company))
    try:
        vendor_key = company.vendor_key.get_key() if company.vendor_key_id else ""
        api_key = credential.get_api_key()
    except UnreadableSecret as exc:
        raise CompanyNotReady(f"{company}: {exc}") from exc
    return maventa.company_credentials(
        company_id=str(company.maventa_id), api_key=api_key, scope=scope, vendor_api_key=vendor_key
    )


def company_api(company: Company, *, scope: str = "") -> Api:
    return maventa.get_client().company(credentials_for(company, scope=scope))


def ensure_can_exchange(company: Company) -> None:
    """Maventa refuses sending and receiving while KYC is incomplete; refuse before calling."""
    if not company.is_verified:
        raise CompanyNotReady(
            NOT_VERIFIED.format(company=company, state=company.get_company_state_display())
        )
