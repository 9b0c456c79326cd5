"""A connection that drops, for real, against the sandbox: what the client sends again.

The offline tests (test_http_retries) script requests' exceptions; these check that a real
drop raises the shape the client classifies as "may have arrived".
"""

from __future__ import annotations

import pytest

from maventa_portal.maventa_api import AmbiguousOutcome
from maventa_portal.maventa_api.ax import companies

pytestmark = pytest.mark.sandbox


def test_post_whose_connection_drops_is_ambiguous_and_not_resent(sandbox, maventa_client, settings):
    sandbox.script({"method": "POST", "path": "/v1/users", "drop": True, "times": 1})

    with pytest.raises(AmbiguousOutcome):
        companies.create_user(
            maventa_client.public(),
            vendor_api_key=settings.MAVENTA_VENDOR_API_KEY,
            email="a@example.com",
        )

    assert sandbox.requests_to("POST /ax/v1/users") == 1


def test_get_whose_connection_drops_is_retried(sandbox, api, sleeps):
    sandbox.script({"method": "GET", "path": "/oauth2/current", "drop": True, "times": 1})

    companies.current(api)

    assert sandbox.requests_to("GET /ax/oauth2/current") == 2
    assert len(sleeps) == 1
