"""E-invoice and document samples the sandbox owns: the incoming-invoice generator builds on
them, and tests send them. Copied from the repository's fixtures (``tests/fixtures/einvoices``):
the sandbox imports nothing of the tests, so it keeps its own copies.

- ``finvoice30-*.xml``: Finvoice 3.0 (simple, three VAT rates, credit note);
- ``ehf30-billing-invoice.xml``: EHF Billing 3.0 (Peppol BIS Billing 3.0, Norwegian rules);
- ``teappsxml30-invoice.xml``: TEAPPSXML 3.0;
- ``peppol/``: OpenPeppol's public BIS Billing 3.0 examples;
- ``peppol-bis3-order.xml``, ``ehf30-order.xml``: orders (documents, not invoices).
"""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent

INVOICES = (
    "finvoice30-simple.xml",
    "finvoice30-vat-rates.xml",
    "finvoice30-credit-note.xml",
    "ehf30-billing-invoice.xml",
    "teappsxml30-invoice.xml",
    "peppol/base-example.xml",
    "peppol/Allowance-example.xml",
    "peppol/vat-category-Z.xml",
    "peppol/sales-order-example.xml",
    "peppol/base-creditnote-correction.xml",
)
ORDERS = ("peppol-bis3-order.xml", "ehf30-order.xml")


def read_sample(name: str) -> bytes:
    """The bytes of one sample, by its name relative to this folder."""
    if name not in (*INVOICES, *ORDERS):
        raise KeyError(f"no sandbox sample {name}")
    return (SAMPLES / name).read_bytes()
