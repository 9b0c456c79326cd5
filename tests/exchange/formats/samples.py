"""Where the e-invoice samples are: all in tests/fixtures/einvoices, Peppol's own under peppol/.

Peppol's BIS Billing 3.0 examples are copied into the repository (they are public examples),
so that a clone anywhere, CI's included, has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
OUR_SAMPLES = REPOSITORY / "tests" / "fixtures" / "einvoices"
PEPPOL_SAMPLES = OUR_SAMPLES / "peppol"


def peppol_sample(name: str) -> bytes:
    return _read(PEPPOL_SAMPLES / name, "Peppol's examples (tests/fixtures/einvoices/peppol)")


def our_sample(name: str) -> bytes:
    return _read(OUR_SAMPLES / name, "the e-invoice fixtures (tests/fixtures/einvoices)")


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pytest.fail(f"{path} is missing: {what} should be there.")
