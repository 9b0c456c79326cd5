"""Receivables (collection with Visma Amili) switched on and off for a company, and its state as
Maventa has it: status and the collection account with the notice texts to print on invoices."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone

from companies.access import company_api
from companies.models import Company
from maventa_portal.core.audit import Actor, recording
from maventa_portal.maventa_api import receivables as rcv

from ..models import ReceivablesActivation

Status = ReceivablesActivation.Status
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


def activate(*, company: Company, fields: dict[str, Any], actor: Actor | None = None):
    asked = {name: fields.get(name, "") for name in ("bank", "accountable_party")}
    with recording(
        actor, "receivables.activate", target=company, company=company, asked=asked
    ) as rec:
        api = company_api(company, scope=rcv.SCOPE)
        rcv.activate(api, **fields)
        row = _mirror(company, rcv.get_activation(api), submitted=fields)
        rec.target, rec.note = row, f"status {row.status}"
    return row


def refresh(*, company: Company) -> ReceivablesActivation:
    return _mirror(company, rcv.get_activation(company_api(company, scope=rcv.SCOPE)))


def deactivate(*, company: Company, actor: Actor | None = None) -> ReceivablesActivation:
    with recording(actor, "receivables.deactivate", target=company, company=company) as rec:
        api = company_api(company, scope=rcv.SCOPE)
        rcv.deactivate(api)
        row = _mirror(company, rcv.get_activation(api))
        row.disabled_at = timezone.now()
        row.save(update_fields=["disabled_at", "updated_at"])
        rec.target, rec.note = row, f"status {row.status}"
    return row


def _mirror(company, state: rcv.Activation, submitted: dict | None = None) -> ReceivablesActivation:
    row, _ = ReceivablesActivation.objects.get_or_create(company=company)
    status = state.status.upper() if state.status.upper() in Status.values else Status.UNKNOWN
    for name in KEPT:
        value = getattr(state, name, "") or (submitted or {}).get(name, "")
        setattr(row, name, value or getattr(row, name))
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
