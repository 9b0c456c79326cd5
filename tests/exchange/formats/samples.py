"""Where the e-invoice samples are: Peppol's own in the shared folder, ours in the fixtures.

The shared folder sits beside the checkout (``../shared`` from the repository root) in
development and in CI alike; a test that cannot find it fails and says where it looked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
PEPPOL_SAMPLES = REPOSITORY.parent / "shared" / "samples" / "peppol"
OUR_SAMPLES = REPOSITORY / "tests" / "fixtures" / "einvoices"


def peppol_sample(name: str) -> bytes:
    return _read(PEPPOL_SAMPLES / name, "the shared Peppol samples (../shared/samples/peppol)")


def our_sample(name: str) -> bytes:
    return _read(OUR_SAMPLES / name, "the e-invoice fixtures (tests/fixtures/einvoices)")


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pytest.fail(f"{path} is missing: {what} should be there, in CI as in development.")
