"""Partner feeds offline: the newer paths first, the older ones where Maventa lacks them, and
the window of failed deliveries sent as asked."""

from __future__ import annotations

import pytest

from maventa_portal.maventa_api.ax import partner
from tests.maventa_api.offline import AX, TOKEN_URL, calls_to, token_answer

INBOUND = f"{AX}/v1/partner/invoice_delivery_actions/inbound"
RECEIVED = f"{AX}/v1/partner/invoice_events/received"
OUTBOUND = f"{AX}/v1/partner/invoice_delivery_actions/outbound_errors"
SENT_ERRORS = f"{AX}/v1/partner/invoice_events/sent_errors"
ITEM = {"company_id": "c-1", "invoice_id": "i-1", "state": "CREATED", "created_at": "2026-11-25"}


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def test_the_inbound_feed_is_read_from_the_newer_path(http_mock, token, offline_api):
    http_mock.get(INBOUND, json=[ITEM])

    page = partner.inbound(offline_api)

    assert page.items == (partner.InboundItem(**ITEM),)
    assert "state=CREATED" in calls_to(http_mock, "GET", INBOUND)[0].request.url
    assert not calls_to(http_mock, "GET", RECEIVED)


def test_where_the_newer_path_is_absent_the_older_one_answers(http_mock, token, offline_api):
    http_mock.get(INBOUND, status=404, json={"code": "not_found", "message": "Not found"})
    http_mock.get(RECEIVED, json=[ITEM])

    page = partner.inbound(offline_api, state="CREATED")

    assert [item.invoice_id for item in page.items] == ["i-1"]


def test_failed_deliveries_are_asked_for_in_the_window_given(http_mock, token, offline_api):
    http_mock.get(OUTBOUND, status=404, json={"code": "not_found", "message": "Not found"})
    http_mock.get(SENT_ERRORS, json=[{"company_id": "c-1", "invoice_id": "i-9"}])

    page = partner.outbound_errors(offline_api, happened_after="2026-11-25T10:00:00Z")

    assert page.items == (partner.OutboundError(company_id="c-1", invoice_id="i-9"),)
    url = calls_to(http_mock, "GET", SENT_ERRORS)[0].request.url
    assert "happened_after=2026-11-25T10%3A00%3A00Z" in url


def test_an_unknown_state_is_refused_before_any_call(http_mock, offline_api):
    with pytest.raises(ValueError, match="CREATED, HANDLED"):
        partner.inbound(offline_api, state="NEW")
