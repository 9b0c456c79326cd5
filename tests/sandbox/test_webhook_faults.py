"""Webhook faults a test switches on (drops, duplicates, delays, reordering) and vendor webhooks."""

from __future__ import annotations

import pytest

from maventa_portal.sandbox.control_client import ControlError
from maventa_portal.sandbox.webhook_receiver import WebhookReceiver
from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.test_webhook_delivery import subscribe

pytestmark = pytest.mark.sandbox

RECEIVED = "DOCUMENTS.INVOICE.RECEIVED"


@pytest.fixture
def receiver():
    receiving = WebhookReceiver()
    yield receiving
    receiving.close()


def receive(sandbox, company: dict, count: int) -> list[str]:
    """``count`` received invoices for ``company``: one RECEIVED event each, in this order."""
    return [i["id"] for i in sandbox.incoming(company["company_id"], count=count)]


def invoice_ids(bodies: list[dict]) -> list[str]:
    return [body["event_data"]["invoice_id"] for body in bodies]


def test_dropped_deliveries_are_never_sent(sandbox, company, token, receiver):
    sandbox.set_webhooks(drop_rate=1, seed=7)
    subscribe(sandbox, token, receiver.url(), RECEIVED)

    receive(sandbox, company, 3)
    flushed = sandbox.flush_webhooks(everything=True)

    assert flushed["attempted"] == 0
    assert [d["state"] for d in sandbox.deliveries()] == ["DROPPED"] * 3
    assert receiver.received == []


def test_a_share_of_drops_follows_the_seed(sandbox, company, token, receiver):
    sandbox.set_webhooks(drop_rate=0.5, seed=11, delay_seconds=3600)
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    receive(sandbox, company, 20)
    first = [d["state"] for d in sandbox.deliveries()]
    sandbox.reset()
    sandbox.set_webhooks(drop_rate=0.5, seed=11, delay_seconds=3600)

    receive(sandbox, company, 20)

    assert [d["state"] for d in sandbox.deliveries()] == first
    assert 0 < first.count("DROPPED") < 20


def test_duplicated_deliveries_arrive_twice_alike(sandbox, company, token, receiver):
    sandbox.set_webhooks(duplicate_rate=1)
    subscribe(sandbox, token, receiver.url(), RECEIVED)

    [invoice_id] = receive(sandbox, company, 1)

    first, second = (r.body for r in receiver.wait_for(2))
    assert first == second
    assert invoice_ids([first]) == [invoice_id]
    assert sorted(d["copy"] for d in sandbox.deliveries()) == [0, 1]


def test_delayed_deliveries_wait_until_due(sandbox, company, token, receiver):
    sandbox.set_webhooks(delay_seconds=3600)
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    receive(sandbox, company, 1)

    assert sandbox.flush_webhooks() == {"attempted": 0, "delivered": 0, "failed": 0}
    [waiting] = sandbox.deliveries()
    assert (waiting["state"], waiting["attempts"]) == ("PENDING", 0)

    assert sandbox.flush_webhooks(everything=True)["delivered"] == 1
    assert len(receiver.received) == 1


def test_reordered_batches_arrive_shuffled(sandbox, company, token, receiver):
    sandbox.set_webhooks(reorder=True, seed=3, delay_seconds=3600)
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    made = receive(sandbox, company, 12)

    flushed = sandbox.flush_webhooks(everything=True)

    arrived = invoice_ids(receiver.bodies())
    assert flushed["delivered"] == 12
    assert sorted(arrived) == sorted(made)
    assert arrived != made


def test_without_reorder_deliveries_keep_their_order(sandbox, company, token, receiver):
    sandbox.set_webhooks(delay_seconds=3600)
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    made = receive(sandbox, company, 12)

    sandbox.flush_webhooks(everything=True)

    assert invoice_ids(receiver.bodies()) == made


def test_reset_empties_the_outbox_and_the_configuration(sandbox, company, token, receiver):
    sandbox.set_webhooks(delay_seconds=3600, drop_rate=0.5)
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    receive(sandbox, company, 2)

    sandbox.reset()

    assert sandbox.deliveries() == []
    assert sandbox.webhooks()["drop_rate"] == 0
    assert sandbox.webhooks()["hour_seconds"] == 3600


@pytest.mark.parametrize(
    "config",
    [
        {"drop_rate": 2},
        {"reorder": "yes"},
        {"hour_seconds": 0},
        {"seed": 1.5},
        {"senders": 0},
        {"advance_seconds": -1},
        {"nope": 1},
    ],
)
def test_bad_webhook_configuration_is_refused(sandbox, config):
    with pytest.raises(ControlError, match="400"):
        sandbox.set_webhooks(**config)


class TestVendorWebhook:
    OTHER_KEY = "another-partner-vendor-key"

    @pytest.fixture
    def companies(self, sandbox) -> list[dict]:
        return [
            sandbox.create_company(name="Eka Oy", bid="7654321-2", company_state="UNVERIFIED"),
            sandbox.create_company(name="Toka Oy", bid="2660421-6", company_state="UNVERIFIED"),
            sandbox.create_company(
                name="Muu Oy",
                bid="1060155-5",
                company_state="UNVERIFIED",
                vendor_api_key=self.OTHER_KEY,
            ),
        ]

    def verify_all(self, sandbox, companies) -> None:
        for company in companies:
            sandbox.set_company(company["company_id"], company_state="UNKNOWN")

    def test_it_reaches_every_company_of_the_token_s_vendor_key(self, sandbox, companies, receiver):
        token = company_token(sandbox, companies[0])
        subscribe(sandbox, token, receiver.url(), "COMPANIES.*", destination_type="VENDOR_WEBHOOK")

        self.verify_all(sandbox, companies)
        sandbox.flush_webhooks(everything=True)

        reached = {r.body["company_id"] for r in receiver.wait_for(2)}
        assert reached == {companies[0]["company_id"], companies[1]["company_id"]}
        assert len(receiver.received) == 2

    def test_with_a_vendor_key_only_that_key_s_companies(self, sandbox, companies, receiver):
        token = company_token(sandbox, companies[0])
        subscribe(
            sandbox,
            token,
            receiver.url(),
            "COMPANIES.*",
            destination_type="VENDOR_WEBHOOK",
            vendor_key=self.OTHER_KEY,
        )

        self.verify_all(sandbox, companies)
        sandbox.flush_webhooks(everything=True)

        [got] = receiver.wait_for(1)
        assert got.body["company_id"] == companies[2]["company_id"]
        assert len(receiver.received) == 1

    def test_a_company_webhook_reaches_its_own_company_only(self, sandbox, companies, receiver):
        token = company_token(sandbox, companies[0])
        subscribe(sandbox, token, receiver.url(), "COMPANIES.*")

        self.verify_all(sandbox, companies)
        sandbox.flush_webhooks(everything=True)

        assert [r.body["company_id"] for r in receiver.wait_for(1)] == [companies[0]["company_id"]]
        assert len(receiver.received) == 1


def test_subscriptions_survive_a_reset(sandbox, token, receiver):
    created = subscribe(sandbox, token, receiver.url(), RECEIVED)

    sandbox.reset()

    listed = ax_call(sandbox, "GET", "/v1/company/notifications", token).json()
    assert listed == [created]


def test_several_senders_post_a_batch_at_once(sandbox, company, token, receiver):
    sandbox.set_webhooks(senders=4, delay_seconds=3600)
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    made = receive(sandbox, company, 12)

    flushed = sandbox.flush_webhooks(everything=True)

    assert flushed == {"attempted": 12, "delivered": 12, "failed": 0}
    assert sorted(invoice_ids(receiver.bodies())) == sorted(made)
    assert {d["attempts"] for d in sandbox.deliveries()} == {1}


def test_a_chaotic_run_delivers_exactly_what_was_not_dropped(sandbox, company, token, receiver):
    sandbox.set_webhooks(
        drop_rate=0.2, duplicate_rate=0.3, reorder=True, senders=8, seed=5, delay_seconds=3600
    )
    subscribe(sandbox, token, receiver.url(), RECEIVED)
    made = receive(sandbox, company, 200) + receive(sandbox, company, 60)

    flushed = sandbox.flush_webhooks(everything=True)

    deliveries = sandbox.deliveries()
    sent = [d for d in deliveries if d["state"] != "DROPPED"]
    assert flushed == {"attempted": len(sent), "delivered": len(sent), "failed": 0}
    assert len(sent) > 200  # more than one batch
    arrived = invoice_ids(receiver.bodies())
    assert sorted(arrived) == sorted(d["payload"]["event_data"]["invoice_id"] for d in sent)
    assert {d["state"] for d in deliveries} == {"DELIVERED", "DROPPED"}
    assert set(arrived) < set(made)
    assert len(arrived) > len(set(arrived))  # some came twice
