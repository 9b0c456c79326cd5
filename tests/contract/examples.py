"""Known-good request bodies for the property tests, so that success paths are reached.

Random text rarely names a network and profiles that Maventa's rules accept; the schema carries
no examples. Schemathesis's examples phase sends these first, then generates. They go into the
property tests' copy of the schema only, never into what answers are judged by.
"""

from __future__ import annotations

import copy
from typing import Any

BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/company/profiles"): {
        "network": "PEPPOL",
        "profiles": ["INVOICE_AND_CREDIT_NOTE"],
    },
    ("PATCH", "/v1/company/profiles/{id}"): {"network_settings": {"note": "contract"}},
    ("PUT", "/v1/company/profiles/{id}/extensions"): {
        "profile_name": "INVOICE_AND_CREDIT_NOTE",
        "extensions": [],
    },
    ("POST", "/v1/company/authorization"): {"auth_email": "kyc@example.com", "locale": "FI"},
    ("POST", "/v1/users"): {"vendor_api_key": "unknown-vendor-key", "email": "new@example.com"},
}


def with_examples(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    for (method, path), example in BODIES.items():
        operation = spec["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue  # not in this spec (an operation dropped or not yet added)
        for media in operation["requestBody"]["content"].values():
            media["example"] = example
    return spec
