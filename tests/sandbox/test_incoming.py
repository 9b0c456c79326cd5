"""The incoming-invoice generator and the trickle (control API ``incoming``, ``exchange``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
import requests
from lxml import etree

from maventa_portal.sandbox.control_client import ControlError
from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.exchange_helpers import INVOICES, exchange_token, receiving_company

pytestmark = pytest.mark.sandbox


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


def test_generated_invoices_are_received_spread_over_the_window(sandbox, company, token):
    sandbox.set_exchange(seed=1)
    since = datetime(2025, 2, 1, tzinfo=UTC)

    made = sandbox.incoming(
        company["company_id"], count=5, since=since, until=since + timedelta(days=4)
    )

    assert [i["received_at"][:10] for i in made] == [f"2025-02-0{d}" for d in range(1, 6)]
    assert len({i["number"] for i in made}) == 5
    assert {i["recipient"]["name"] for i in made} == {"Testi Oy"}
    listed = ax_call(sandbox, "GET", INVOICES, token).json()
    assert [i["id"] for i in listed] == [i["id"] for i in made]
    events = [e["event"] for e in sandbox.events(company["company_id"])]
    assert events == ["DOCUMENTS.INVOICE.RECEIVED"] * 5


@pytest.mark.parametrize(
    ("format_", "source_format", "country"),
    [
        ("FINVOICE30", "FINVOICE30", "FI"),
        ("TEAPPS30", "TEAPPS30", "FI"),
        ("EHF", "PEPPOLBIS30", "NO"),
        ("PEPPOLBIS30", "PEPPOLBIS30", None),
    ],
)
def test_each_format_from_its_samples(sandbox, company, format_, source_format, country):
    made = sandbox.incoming(company["company_id"], count=3, format=format_)

    assert {i["source_format"] for i in made} == {source_format}
    if country:
        assert {i["sender"]["country"] for i in made} == {country}


def test_the_xml_is_what_the_invoice_says(sandbox, company, token):
    sandbox.set_exchange(seed=5)
    invoice = sandbox.incoming(company["company_id"], count=1, format="FINVOICE30")[0]

    xml = ax_call(
        sandbox, "GET", f"{INVOICES}/{invoice['id']}", token, params={"return_format": "FINVOICE30"}
    )

    root = etree.fromstring(xml.content)
    assert root.findtext("InvoiceDetails/InvoiceNumber") == invoice["number"]
    assert root.findtext("SellerPartyDetails/SellerOrganisationName") == invoice["sender"]["name"]
    total = root.findtext("InvoiceDetails/InvoiceTotalVatIncludedAmount")
    assert total == f"{invoice['sum_tax']:.2f}".replace(".", ",")


def test_amounts_numbers_and_senders_vary(sandbox, company):
    sandbox.set_exchange(seed=2)

    made = sandbox.incoming(company["company_id"], count=30)

    assert len({i["sum_tax"] for i in made}) > 10
    assert len({i["sender"]["bid"] for i in made}) > 3
    files = Counter(len(i["files"]) for i in made)
    assert files[1]
    assert files[2] + files[3]  # some come with an image or an attachment


def test_what_is_generated_keeps_the_validators_rules(sandbox, company, token):
    sandbox.set_exchange(seed=4)
    made = sandbox.incoming(company["company_id"], count=6)
    headers = {"Authorization": f"Bearer {company_token(sandbox, company, scope='validate')}"}

    for invoice in made:
        xml = ax_call(
            sandbox,
            "GET",
            f"{INVOICES}/{invoice['id']}",
            token,
            params={"return_format": "PEPPOLBIS30"},
        )
        answer = requests.post(
            f"{sandbox.validator_url}/v1/validate",
            files={"file": ("invoice.xml", xml.content)},
            headers=headers,
            timeout=10,
        ).json()
        assert answer["valid"], (invoice["source_format"], answer["findings"])


def test_orders_arrive_as_received_documents(sandbox, company):
    made = sandbox.incoming(company["company_id"], count=2, document_type="ORDER")

    assert [d["type"] for d in made] == ["ORDER", "ORDER"]
    assert {d["status"] for d in made} == {"DELIVERED"}
    assert all(d["recipient"]["name"] == "Testi Oy" for d in made)
    names = [e["event"] for e in sandbox.events(company["company_id"])]
    assert names == ["DOCUMENTS.ORDER.RECEIVED"] * 2


@pytest.mark.parametrize(
    "body",
    [
        {"count": 0},
        {"count": 201},
        {"count": "3"},
        {"format": "PDF"},
        {"document_type": "VOUCHER"},
        {"since": "yesterday"},
        {"since": "2025-02-02T00:00:00Z", "until": "2025-02-01T00:00:00Z"},
        {"colour": "blue"},
    ],
)
def test_bad_requests_are_refused(sandbox, company, body):
    response = requests.post(
        f"{sandbox.control_url}/incoming",
        json={"company_id": company["company_id"], **body},
        timeout=10,
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_unknown_company_is_refused(sandbox):
    with pytest.raises(ControlError, match="400"):
        sandbox.incoming("00000000-0000-0000-0000-000000000000")


def test_trickle_brings_invoices_to_receiving_companies_as_time_passes(sandbox):
    receiver = receiving_company(sandbox, "Vastaanottaja Oy", "7654321-2")
    idle = sandbox.create_company(name="Hiljainen Oy", bid="2002000-9", country="FI")
    sandbox.set_exchange(incoming_per_hour=3_600_000, seed=3)  # a thousand a second

    sandbox.tick()  # starts the clock
    moved = sandbox.tick()

    assert moved["invoices_received"] >= 1
    assert sandbox.invoices_of(receiver["company_id"], direction="RECEIVED")
    assert sandbox.invoices_of(idle["company_id"]) == []


def test_no_trickle_by_default(sandbox, company):
    receiving_company(sandbox, "Vastaanottaja Oy", "7654321-2")

    sandbox.tick()

    assert sandbox.tick()["invoices_received"] == 0
    assert sandbox.exchange()["incoming_per_hour"] == 0


def test_exchange_configuration_is_replaced_whole_and_reset(sandbox):
    sandbox.set_exchange(invoice_failure_rate=0.5, analysis_seconds=3)

    replaced = sandbox.set_exchange(analysis_seconds=3)
    sandbox.reset()

    assert replaced["invoice_failure_rate"] == 0
    assert sandbox.exchange()["analysis_seconds"] == 0


@pytest.mark.parametrize(
    "config",
    [{"invoice_failure_rate": 2}, {"late_failure_seconds": -1}, {"seed": 1.5}, {"speed": 1}],
)
def test_bad_exchange_configuration_is_refused(sandbox, config):
    with pytest.raises(ControlError, match="400"):
        sandbox.set_exchange(**config)
