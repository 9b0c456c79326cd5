"""GET /v1/invoices: direction, filters, order, fields and the paging headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.sandbox.conftest import ax_call
from tests.sandbox.exchange_helpers import INVOICES, exchange_token, sample, sent

pytestmark = pytest.mark.sandbox

START = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


@pytest.fixture
def received(sandbox, company) -> list[dict]:
    """Twelve received invoices, one a day from 2025-01-01, oldest first."""
    sandbox.set_exchange(seed=7)
    return sandbox.incoming(
        company["company_id"], count=12, since=START, until=START + timedelta(days=11)
    )


def listed(sandbox, token, **params) -> list[dict]:
    response = ax_call(sandbox, "GET", INVOICES, token, params=params)
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()


def test_received_is_the_default_direction(sandbox, token, received):
    mine = sent(sandbox, token)

    by_default = listed(sandbox, token, per_page=100)
    sent_ones = listed(sandbox, token, direction="SENT")

    assert [i["id"] for i in by_default] == [i["id"] for i in received]
    assert [i["id"] for i in sent_ones] == [mine["id"]]
    assert {i["origin"] for i in by_default} <= {"EXTERNAL", "SCAN"}


def test_pages_of_ten_with_paging_headers(sandbox, token, received):
    response = ax_call(sandbox, "GET", INVOICES, token, params={"page": 2})

    assert [i["id"] for i in response.json()] == [i["id"] for i in received[10:]]
    headers = response.headers
    assert (headers["X-Total"], headers["X-Total-Pages"]) == ("12", "2")
    assert (headers["X-Page"], headers["X-Per-Page"]) == ("2", "10")
    assert (headers["X-Prev-Page"], headers["X-Next-Page"]) == ("1", "")
    links = {
        part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
        for part in headers["Link"].split(", ")
    }
    assert set(links) == {"first", "prev", "last"}
    assert parse_qs(urlsplit(links["prev"]).query)["page"] == ["1"]
    assert urlsplit(links["last"]).path.endswith("/sandbox/ax/v1/invoices")


def test_first_page_points_to_the_next(sandbox, token, received):
    response = ax_call(sandbox, "GET", INVOICES, token, params={"per_page": 5})

    assert len(response.json()) == 5
    assert response.headers["X-Next-Page"] == "2"
    assert response.headers["X-Prev-Page"] == ""
    assert response.headers["X-Total-Pages"] == "3"
    assert 'rel="next"' in response.headers["Link"]


def test_a_page_past_the_end_is_empty(sandbox, token, received):
    response = ax_call(sandbox, "GET", INVOICES, token, params={"page": 9})

    assert response.json() == []
    assert response.headers["X-Total"] == "12"


@pytest.mark.parametrize(
    "params",
    [{"per_page": 101}, {"per_page": 0}, {"page": 0}, {"page": "two"}],
)
def test_paging_out_of_range_is_refused(sandbox, token, params):
    response = ax_call(sandbox, "GET", INVOICES, token, params=params)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_received_at_window_is_inclusive(sandbox, token, received):
    window = {
        "received_at_start": "2025-01-03T00:00:00Z",
        "received_at_end": "2025-01-05T00:00:00+00:00",
    }

    found = listed(sandbox, token, **window)

    assert [i["received_at"][:10] for i in found] == ["2025-01-03", "2025-01-04", "2025-01-05"]


def test_created_at_window(sandbox, token, received):
    found = listed(sandbox, token, created_at_start="2025-01-11T00:00:00Z")

    assert [i["id"] for i in found] == [i["id"] for i in received[10:]]


def test_sort_newest_first(sandbox, token, received):
    found = listed(sandbox, token, **{"sort[]": "-received_at", "per_page": 3})

    assert [i["id"] for i in found] == [i["id"] for i in reversed(received[-3:])]


def test_number_and_reference_filter_exactly(sandbox, token, received):
    one = received[4]

    by_number = listed(sandbox, token, number=one["number"])
    by_reference = listed(sandbox, token, reference=one["reference"])

    assert [i["id"] for i in by_number] == [one["id"]]
    assert one["id"] in [i["id"] for i in by_reference]


def test_ids_and_status_filters(sandbox, token, received):
    wanted = [received[0]["id"], received[3]["id"], "not-a-uuid"]

    found = listed(sandbox, token, **{"ids[]": wanted, "status[]": "DELIVERED"})

    assert [i["id"] for i in found] == wanted[:2]
    assert listed(sandbox, token, **{"status[]": ["PENDING", "FAILED"]}) == []


def test_fields_limit_the_answer_but_keep_the_required_ones(sandbox, token, received):
    found = listed(sandbox, token, **{"fields[]": ["id", "number"], "per_page": 1})

    assert set(found[0]) == {"id", "number", "source_format", "sum", "sum_tax", "currency"}


@pytest.mark.parametrize(
    "params",
    [
        {"direction": "INCOMING"},
        {"status[]": "delivered"},
        {"sort[]": "number"},
        {"received_at_start": "yesterday"},
        {"ids[]": [f"id-{n}" for n in range(101)]},
    ],
)
def test_bad_filters_are_refused(sandbox, token, params):
    response = ax_call(sandbox, "GET", INVOICES, token, params=params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_parameters"


def test_another_companys_invoices_are_not_listed_nor_found(sandbox, token, received):
    other = sandbox.create_company(name="Muu Oy", bid="7654321-2", country="FI")
    other_token = exchange_token(sandbox, other)

    assert listed(sandbox, other_token) == []
    response = ax_call(sandbox, "GET", f"{INVOICES}/{received[0]['id']}", other_token)
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_received_invoice_shape(sandbox, token, company):
    sandbox.set_exchange(seed=3)
    one = sandbox.incoming(company["company_id"], count=1, format="FINVOICE30")[0]

    body = listed(sandbox, token, number=one["number"])[0]

    assert body["status"] == "DELIVERED"
    assert body["recipient"]["name"] == "Testi Oy"
    assert body["recipient"]["bid"] == "1234567-1"
    assert [a["type"] for a in body["actions"]] == ["RECEIVED"]
    assert body["source_format"] == "FINVOICE30"
    # A Finnish domestic invoice in euros carries the virtual bar code (FIELDS.md 5).
    assert body["virtual_barcode"][0] in "45"
    assert len(body["virtual_barcode"]) == 54


def test_sent_invoice_is_received_at_when_maventa_got_it(sandbox, token):
    body = sent(sandbox, token, sample("teappsxml30-invoice.xml"))

    assert body["received_at"] == body["created_at"]
