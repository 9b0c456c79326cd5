"""Receivables (collection with Visma Amili) switched on and off for a company, and its state as
Maventa has it: status and the collection account with the notice texts to print on invoices.

Two onboarding flows: v1 (``/v1/services/receivables``, the 2023 schema: the authorization
email is required and the service is active at once) and the newer Amili one (v2,
``maventa_api.amili``: PENDING until whoever signs passes KYC at ``activation_url``; without an
authorization email no email is sent and staff pass that link on). The row remembers which flow
it took (``api_version``), and a refresh reads the state the same way. The v2 outcome arrives by
webhook (``receivables.webhooks``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone

from companies.access import company_api
from companies.models import Company
from maventa_portal.core.audit import Actor, recording
from maventa_portal.maventa_api import amili
from maventa_portal.maventa_api import receivables as rcv

from ..models import ReceivablesActivation

Status = ReceivablesActivation.Status
ACTIVATION_URL_LENGTH = ReceivablesActivation._meta.get_field("activation_url").max_length
# What staff give, as kept here (the addresses as JSON); never a secret among them.
KEPT = (
    "iban",
    "bic",
    "bank",
    "contact_person",
    "contact_email",
    "contact_phone_number",
    "customer_service_email",
    "customer_service_phone_number",
    "authorization_email",
    "accountable_party",
)


def activate(
    *, company: Company, fields: dict[str, Any], actor: Actor | None = None, api_version: int = 1
):
    asked = {name: fields.get(name, "") for name in ("bank", "accountable_party")}
    asked["api_version"] = api_version
    with recording(
        actor, "receivables.activate", target=company, company=company, asked=asked
    ) as rec:
        api = company_api(company, scope=rcv.SCOPE)
        if api_version == 2:
            state = amili.activate(api, **fields)
        else:
            rcv.activate(api, **fields)
            state = rcv.get_activation(api)
        row = _mirror(company, state, submitted=fields, api_version=api_version)
        rec.target, rec.note = row, f"status {row.status} (v{api_version})"
    return row


def refresh(*, company: Company) -> ReceivablesActivation:
    """The state read again from Maventa, by the flow the company's activation took."""
    row = ReceivablesActivation.objects.filter(company=company).first()
    version = row.api_version if row is not None else 1
    return refresh_as(company=company, api_version=version)


def refresh_as(*, company: Company, api_version: int) -> ReceivablesActivation:
    api = company_api(company, scope=rcv.SCOPE)
    if api_version == 2:
        return _mirror(company, amili.get_activation(api), api_version=2)
    return _mirror(company, rcv.get_activation(api))


def set_own_invoice_image(
    *, company: Company, own_invoice_image: bool, actor: Actor | None = None
) -> ReceivablesActivation:
    """The "own invoice image / own payment details" setting of the v2 flow (PATCH)."""
    asked = {"own_invoice_image": own_invoice_image}
    with recording(
        actor, "receivables.own_invoice_image", target=company, company=company, asked=asked
    ) as rec:
        api = company_api(company, scope=rcv.SCOPE)
        state = amili.set_own_invoice_image(api, own_invoice_image=own_invoice_image)
        row = _mirror(company, state, api_version=2)
        rec.target = row
        rec.note = f"own invoice image {'on' if row.own_invoice_image else 'off'}"
    return row


def deactivate(*, company: Company, actor: Actor | None = None) -> ReceivablesActivation:
    with recording(actor, "receivables.deactivate", target=company, company=company) as rec:
        api = company_api(company, scope=rcv.SCOPE)
        rcv.deactivate(api)
        row = _mirror(company, rcv.get_activation(api))
        row.disabled_at = timezone.now()
        row.save(update_fields=["disabled_at", "updated_at"])
        rec.target, rec.note = row, f"status {row.status}"
    return row


def _mirror(
    company, state: rcv.Activation, submitted: dict | None = None, api_version: int | None = None
) -> ReceivablesActivation:
    row, _ = ReceivablesActivation.objects.get_or_create(company=company)
    if api_version is not None:
        row.api_version = api_version
    if row.api_version == 2:
        # Only v2 answers carry these.
        row.activation_url = state.activation_url if _is_link(state.activation_url) else ""
        if state.own_invoice_image is not None:
            row.own_invoice_image = state.own_invoice_image
    else:
        row.activation_url = ""
    status = state.status.upper() if state.status.upper() in Status.values else Status.UNKNOWN
    for name in KEPT:
        value = getattr(state, name, "") or (submitted or {}).get(name, "")
        setattr(row, name, value or getattr(row, name))
    if submitted is not None and row.api_version == 2:
        # v2 may go without one (the link is passed on instead): no earlier address stays.
        row.authorization_email = state.authorization_email or submitted.get(
            "authorization_email", ""
        )
    if isinstance(state.raw, dict):
        row.raw = state.raw
    row.billing_address = (
        asdict(state.billing_address) if state.billing_address.city else (row.billing_address)
    )
    row.vfsfi_iban = state.vfsfi.iban
    row.vfsfi_bic = state.vfsfi.bic
    row.vfsfi_account_number = state.vfsfi.account_number
    row.vfsfi_notes = [asdict(note) for note in state.vfsfi.notes]
    if status == Status.ACTIVE and row.status != Status.ACTIVE:
        row.activated_at = timezone.now()
    if submitted is not None:
        row.submitted_at = timezone.now()
    row.status = status
    row.save()
    return row


def _is_link(value: str) -> bool:
    # Shown to staff as a link: only a web address, never a javascript: or data: one.
    # A cut address would lead nowhere, and the column holds 1000 characters.
    return (
        isinstance(value, str)
        and value.startswith(("https://", "http://"))
        and len(value) <= ACTIVATION_URL_LENGTH
    )
