"""Helpers for the sandbox's exchange tests (invoices, documents, lookup, Detect, Validator):
HTTP with ``requests`` only, as the other sandbox tests speak it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import requests

from maventa_portal.sandbox.control_client import SandboxControl
from tests.sandbox.conftest import ax_call, company_token

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoices"
INVOICES = "/v1/invoices"
DOCUMENTS = "/v1/documents"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def exchange_token(sandbox: SandboxControl, company: dict) -> str:
    """A token for everything the exchange calls (``eui``: invoices, documents, lookup, Detect)."""
    return company_token(sandbox, company, scope="eui")


def send_invoice(
    sandbox: SandboxControl,
    token: str,
    content: bytes | None = None,
    *,
    filename: str = "invoice.xml",
    fields: dict | list | None = None,
) -> requests.Response:
    content = sample("finvoice30-simple.xml") if content is None else content
    return ax_call(
        sandbox,
        "POST",
        INVOICES,
        token,
        files={"file": (filename, content, "application/octet-stream")},
        data=fields or {},
    )


def sent(sandbox: SandboxControl, token: str, content: bytes | None = None, **fields) -> dict:
    response = send_invoice(sandbox, token, content, fields=fields)
    assert response.status_code == 201, response.text
    return response.json()


def invoice_zip(xml: bytes, pdf: bytes | None = None, **attachments: bytes) -> bytes:
    """The public client's layout: invoice.xml, invoice.pdf, 1_<name>, 2_<name> ..."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoice.xml", xml)
        if pdf is not None:
            archive.writestr("invoice.pdf", pdf)
        for index, (name, content) in enumerate(attachments.items(), start=1):
            archive.writestr(f"{index}_{name}", content)
    return buffer.getvalue()


def get_invoice(sandbox: SandboxControl, token: str, invoice_id: str, **params) -> dict:
    response = ax_call(sandbox, "GET", f"{INVOICES}/{invoice_id}", token, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def receiving_company(sandbox: SandboxControl, name: str, bid: str, country: str = "FI") -> dict:
    """A verified company with active VISMA and PEPPOL invoice receiving."""
    sandbox.set_lifecycle(profile_activation_seconds=0)
    company = sandbox.create_company(name=name, bid=bid, country=country)
    token = company_token(sandbox, company)
    for network in ("VISMA", "PEPPOL"):
        response = ax_call(
            sandbox,
            "POST",
            "/v1/company/profiles",
            token,
            json={"network": network, "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
        )
        assert response.status_code == 201, response.text
    sandbox.tick()
    return company
