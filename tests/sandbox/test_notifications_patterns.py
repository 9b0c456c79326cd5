"""Which event names a subscription's patterns reach (no server needed)."""

from __future__ import annotations

import pytest

from maventa_portal.sandbox import subscriptions


@pytest.mark.parametrize(
    ("pattern", "name", "expected"),
    [
        ("DOCUMENTS.*.*", "DOCUMENTS.INVOICE.FAILED", True),
        ("DOCUMENTS.*", "DOCUMENTS.ORDER.RECEIVED", True),
        ("DOCUMENTS.INVOICE.FAILED", "DOCUMENTS.INVOICE.DELIVERED", False),
        ("DOCUMENTS.INVOICE.CONFIRMED_DELIVERY", "DOCUMENTS.INVOICE.DELIVERY_CONFIRMED", True),
        ("NETWORKS.*", "NETWORKS.PEPPOL.CREATED", True),
        ("NETWORKS.*.ENABLED", "NETWORKS.BANK.DISABLED", False),
        ("COMPANIES.AUTHORIZATION.*", "COMPANIES.AUTHORIZATION.VERIFIED", True),
        ("COMPANIES.*", "NETWORKS.PEPPOL.CREATED", False),
    ],
)
def test_patterns_match_event_names(pattern, name, expected):
    assert subscriptions.matches(pattern, name) is expected
