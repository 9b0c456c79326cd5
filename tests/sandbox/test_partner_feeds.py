"""Partner feeds (FIELDS.md section 10): received invoices across the partner's companies, and
sent invoices that failed, under the newer and the older paths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, ax_get, company_token
from tests.sandbox.exchange_helpers import exchange_token, sent

pytestmark = pytest.mark.sandbox

PARTNER = "partner:invoice_delivery_actions"
INBOUND = ("/v1/partner/invoice_delivery_actions/inbound", "/v1/partner/invoice_events/received")
ERRORS = (
    "/v1/partner/invoice_delivery_actions/outbound_errors",
    "/v1/partner/invoice_events/sent_errors",
)
OTHER_KEY = "another-partner-vendor-key"


@pytest.fixture
def companies(sandbox, company) -> list[dict]:
    """Two of the partner's companies and one of another vendor key."""
    return [
        company,
        sandbox.create_company(name="Toka Oy", bid="2660421-6"),
        sandbox.create_company(name="Muu Oy", bid="1060155-5", vendor_api_key=OTHER_KEY),
    ]


@pytest.fixture
def partner(sandbox, company) -> str:
    return company_token(sandbox, company, scope=PARTNER)


def received(sandbox, company: dict, count: int = 1) -> list[str]:
    return [i["id"] for i in sandbox.incoming(company["company_id"], count=count)]


def feed(sandbox, token: str, path: str = INBOUND[0], **query) -> list[dict]:
    response = ax_get(sandbox, path, token, params=query)
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("path", INBOUND)
def test_inbound_lists_received_invoices_of_the_partner_s_companies(
    sandbox, companies, partner, path
):
    first = received(sandbox, companies[0], 2)
    second = received(sandbox, companies[1])
    received(sandbox, companies[2])

    items = feed(sandbox, partner, path)

    assert sorted(i["invoice_id"] for i in items) == sorted(first + second)
    assert {i["company_id"] for i in items} == {c["company_id"] for c in companies[:2]}
    assert {i["state"] for i in items} == {"CREATED"}
    assert all(i["created_at"].endswith("Z") for i in items)


def test_handled_invoices_leave_the_created_feed(sandbox, companies, partner):
    [handled, waiting] = received(sandbox, companies[0], 2)
    own = exchange_token(sandbox, companies[0])

    marked = ax_call(
        sandbox, "PATCH", f"/v1/invoices/{handled}/invoice_events", own, json={"state": "HANDLED"}
    )

    assert marked.status_code == HTTPStatus.NO_CONTENT
    assert [i["invoice_id"] for i in feed(sandbox, partner)] == [waiting]
    assert [i["invoice_id"] for i in feed(sandbox, partner, state="HANDLED")] == [handled]


def test_inbound_pages_with_headers(sandbox, companies, partner):
    received(sandbox, companies[0], 3)

    response = ax_get(sandbox, INBOUND[0], partner, params={"per_page": 2, "page": 2})

    assert response.status_code == HTTPStatus.OK
    assert len(response.json()) == 1
    assert response.headers["X-Total"] == "3"
    assert response.headers["X-Total-Pages"] == "2"
    assert response.headers["X-Per-Page"] == "2"
    assert 'rel="prev"' in response.headers["Link"]


def test_another_vendor_key_sees_its_own_companies_only(sandbox, companies):
    received(sandbox, companies[0])
    theirs = received(sandbox, companies[2])
    token = company_token(sandbox, companies[2], scope=PARTNER)

    assert [i["invoice_id"] for i in feed(sandbox, token)] == theirs


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"state": "DONE"}, "state 'DONE' is not one of CREATED, HANDLED"),
        ({"per_page": 101}, "per_page must be 1 to 100"),
    ],
)
def test_inbound_refuses_bad_parameters(sandbox, partner, query, problem):
    response = ax_get(sandbox, INBOUND[0], partner, params=query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert problem in response.json()["details"]


def test_feeds_need_the_partner_scope(sandbox, token):
    for path in (*INBOUND, *ERRORS):
        response = ax_get(sandbox, path, token, params={"happened_after": "2024-01-01T00:00:00Z"})
        assert response.status_code == HTTPStatus.UNAUTHORIZED, path
        assert response.json()["code"] == "insufficient_scope"


@pytest.mark.parametrize("path", ERRORS)
def test_outbound_errors_list_failed_sends_in_the_window(sandbox, companies, partner, path):
    start = datetime.now(UTC) - timedelta(seconds=2)
    sender = exchange_token(sandbox, companies[1])
    failed = sent(sandbox, sender)
    sent(sandbox, sender)  # delivered: not an error
    sandbox.set_invoice(failed["id"], status="FAILED", message="Refused")
    sandbox.tick()

    items = feed(sandbox, partner, path, happened_after=when(start))
    earlier = feed(
        sandbox,
        partner,
        path,
        happened_after=when(start - timedelta(hours=1)),
        happened_before=when(start),
    )

    assert items == [{"company_id": companies[1]["company_id"], "invoice_id": failed["id"]}]
    assert earlier == []


def test_outbound_errors_need_happened_after(sandbox, partner):
    response = ax_get(sandbox, ERRORS[0], partner)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["details"] == ["happened_after is missing"]
