"""A sent invoice moving by itself: routes, delivery, failures, copies, events, reroutes."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from maventa_portal.sandbox.control_client import ControlError
from tests.sandbox.conftest import ax_call
from tests.sandbox.exchange_helpers import (
    INVOICES,
    exchange_token,
    get_invoice,
    receiving_company,
    sample,
    sent,
)

pytestmark = pytest.mark.sandbox

UNKNOWN_EIA = "0037:003799999999"


@pytest.fixture
def token(sandbox, company) -> str:
    return exchange_token(sandbox, company)


def events_of(sandbox, company: dict, prefix: str = "DOCUMENTS.") -> list[dict]:
    return [e for e in sandbox.events(company["company_id"]) if e["event"].startswith(prefix)]


def actions(body: dict) -> list[tuple[str, str]]:
    return [(a["type"], a.get("channel", "")) for a in body["actions"]]


def test_delivered_at_the_next_read_by_default(sandbox, token, company):
    created = sent(sandbox, token)

    moved = get_invoice(sandbox, token, created["id"])

    assert created["status"] == "PENDING"
    assert moved["status"] == "DELIVERED"
    assert moved["destination"] == "OPERATOR"  # As Oy Koivukuja 5 receives through its operator
    assert actions(moved) == [("CREATED", ""), ("SENT", "EINVOICE"), ("DELIVERED", "EINVOICE")]
    [event] = events_of(sandbox, company)
    assert event["event"] == "DOCUMENTS.INVOICE.DELIVERED"
    assert event["event_data"] == {
        "invoice_id": created["id"],
        "invoice_number": "20250310",
        "destination": "OPERATOR",
        "recipient_name": "As Oy Koivukuja 5",
        "recipient_bid": "1060155-5",
    }


def test_pending_for_the_delivery_time_then_moved_by_tick(sandbox, token):
    sandbox.set_exchange(invoice_delivery_seconds=3600)
    created = sent(sandbox, token)

    assert get_invoice(sandbox, token, created["id"])["status"] == "PENDING"
    assert sandbox.tick()["invoices_delivered"] == 0
    sandbox.set_invoice(created["id"], status="DELIVERED")
    assert get_invoice(sandbox, token, created["id"])["status"] == "DELIVERED"


def test_tick_delivers_without_any_read(sandbox, token, company):
    created = sent(sandbox, token)

    moved = sandbox.tick()

    assert moved["invoices_delivered"] == 1
    assert sandbox.tick()["invoices_delivered"] == 0
    assert [i["status"] for i in sandbox.invoices_of(company["company_id"])] == ["DELIVERED"]
    assert created


def test_failure_rate_fails_the_send_with_an_error_action(sandbox, token, company):
    sandbox.set_exchange(invoice_failure_rate=1)
    created = sent(sandbox, token)

    moved = get_invoice(sandbox, token, created["id"])

    assert moved["status"] == "FAILED"
    assert moved["actions"][-1]["type"] == "ERROR"
    assert moved["actions"][-1]["channel"] == "EINVOICE"
    [event] = events_of(sandbox, company)
    assert event["event"] == "DOCUMENTS.INVOICE.FAILED"
    assert event["event_data"]["error_message"] == moved["actions"][-1]["message"]


def test_unknown_address_falls_back_to_email_then_print(sandbox, token):
    by_email = sent(sandbox, token, recipient_eia=UNKNOWN_EIA, recipient_email="ap@example.com")
    by_print = sent(sandbox, token, recipient_eia=UNKNOWN_EIA)

    assert get_invoice(sandbox, token, by_email["id"])["destination"] == "EMAIL"
    assert actions(get_invoice(sandbox, token, by_print["id"]))[-1] == ("DELIVERED", "PRINT")


def test_no_route_left_fails_saying_why(sandbox, token):
    created = sent(
        sandbox, token, recipient_eia=UNKNOWN_EIA, **{"disabled_routes[]": ["print", "email"]}
    )

    moved = get_invoice(sandbox, token, created["id"])

    assert moved["status"] == "FAILED"
    message = moved["actions"][-1]["message"]
    assert "e-invoice address 0037:003799999999 not found" in message
    assert "email disabled" in message
    assert "print disabled" in message


def test_a_known_operator_takes_an_unknown_address(sandbox, token):
    created = sent(
        sandbox,
        token,
        recipient_eia=UNKNOWN_EIA,
        recipient_operator="003723327487",
        **{"disabled_routes[]": "print"},
    )

    assert get_invoice(sandbox, token, created["id"])["status"] == "DELIVERED"


def test_late_failure_after_delivery(sandbox, token, company):
    sandbox.set_exchange(late_failure_rate=1, late_failure_seconds=3600)
    created = sent(sandbox, token, recipient_eia=UNKNOWN_EIA)  # goes by print

    delivered = get_invoice(sandbox, token, created["id"])
    failed = sandbox.set_invoice(created["id"], status="FAILED")

    assert delivered["status"] == "DELIVERED"
    assert failed["status"] == "FAILED"
    assert failed["actions"][-1]["type"] == "ERROR"
    names = [e["event"] for e in events_of(sandbox, company)]
    assert names == ["DOCUMENTS.INVOICE.DELIVERED", "DOCUMENTS.INVOICE.FAILED"]


def test_late_failure_happens_by_itself(sandbox, token):
    sandbox.set_exchange(late_failure_rate=1, late_failure_seconds=0)
    created = sent(sandbox, token, recipient_eia=UNKNOWN_EIA)

    moved = get_invoice(sandbox, token, created["id"])

    assert moved["status"] == "FAILED"
    assert actions(moved)[-2:] == [("DELIVERED", "PRINT"), ("ERROR", "PRINT")]
    assert "Letter returned" in moved["actions"][-1]["message"]


def test_control_verdicts_refuse_impossible_moves(sandbox, token, company):
    created = sent(sandbox, token)
    sandbox.set_invoice(created["id"], status="FAILED", message="Recipient closed")

    response = ax_call(sandbox, "GET", f"{INVOICES}/{created['id']}", token)

    assert response.json()["actions"][-1]["message"] == "Recipient closed"
    with pytest.raises(ControlError, match="409"):
        sandbox.set_invoice(created["id"], status="DELIVERED")


def test_sent_to_a_sandbox_company_is_received_there(sandbox, token, company):
    buyer = receiving_company(sandbox, "As Oy Koivukuja 5", "1060155-5")
    buyer_token = exchange_token(sandbox, buyer)
    created = sent(sandbox, token)  # the Finvoice sample is addressed to 003710601555

    delivered = get_invoice(sandbox, token, created["id"])
    [received] = ax_call(sandbox, "GET", INVOICES, buyer_token).json()

    assert delivered["destination"] == "VISMA"
    assert received["number"] == "20250310"
    assert received["origin"] == "INTERNAL"
    assert received["sender"]["name"] == "Kattohuolto Virtanen Oy"
    assert [f["filename"] for f in received["files"]] == ["invoice.xml"]
    [event] = events_of(sandbox, buyer)
    assert event["event"] == "DOCUMENTS.INVOICE.RECEIVED"
    assert event["event_data"] == {
        "invoice_id": received["id"],
        "invoice_number": "20250310",
        "origin": "VISMA",
        "sender_name": "Kattohuolto Virtanen Oy",
        "sender_bid": "2345678-0",
    }


def test_actions_endpoint_lists_and_filters_the_history(sandbox, token):
    created = sent(sandbox, token)
    path = f"{INVOICES}/{created['id']}/actions"

    everything = ax_call(sandbox, "GET", path, token).json()
    delivered = ax_call(sandbox, "GET", path, token, params={"type[]": "DELIVERED"}).json()

    assert [a["type"] for a in everything] == ["CREATED", "SENT", "DELIVERED"]
    assert [a["type"] for a in delivered] == ["DELIVERED"]
    bad = ax_call(sandbox, "GET", path, token, params={"type[]": "LOST"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST


class TestReroute:
    @pytest.fixture
    def failed(self, sandbox, token) -> dict:
        sandbox.set_exchange(invoice_failure_rate=1)
        created = sent(sandbox, token)
        assert get_invoice(sandbox, token, created["id"])["status"] == "FAILED"
        sandbox.set_exchange()
        return created

    def reroute(self, sandbox, token, invoice_id: str, route: str, body: dict):
        return ax_call(sandbox, "PUT", f"{INVOICES}/{invoice_id}/reroute/{route}", token, json=body)

    def test_email_reroute_delivers_again_and_keeps_the_old_route(self, sandbox, token, failed):
        response = self.reroute(
            sandbox, token, failed["id"], "email", {"recipient_email": "ap@example.com"}
        )

        assert response.status_code == HTTPStatus.OK
        assert response.content == b""
        moved = get_invoice(sandbox, token, failed["id"])
        assert moved["status"] == "DELIVERED"
        assert moved["destination"] == "EMAIL"
        assert moved["revision"]["destination"] == "OPERATOR"
        assert moved["revision"]["status"] == "FAILED"
        assert ("INFO", "EMAIL") in actions(moved)

    def test_print_reroute(self, sandbox, token, failed):
        body = {
            "recipient_name": "As Oy Koivukuja 5",
            "recipient_address1": "Koivukuja 5",
            "recipient_post_code": "33580",
            "recipient_post_office": "Tampere",
            "recipient_country": "FI",
        }

        assert self.reroute(sandbox, token, failed["id"], "print", body).status_code == 200
        assert get_invoice(sandbox, token, failed["id"])["destination"] == "PRINT"

    def test_einvoice_reroute_to_an_unknown_address_fails_again(self, sandbox, token, failed):
        body = {"recipient_eia": UNKNOWN_EIA, "recipient_operator": "NOBODY"}

        assert self.reroute(sandbox, token, failed["id"], "einvoice", body).status_code == 200
        assert get_invoice(sandbox, token, failed["id"])["status"] == "FAILED"

    @pytest.mark.parametrize(
        ("route", "body", "missing"),
        [
            ("email", {}, "recipient_email"),
            ("einvoice", {"recipient_eia": "0037:003710601555"}, "recipient_operator"),
            ("print", {"recipient_name": "X"}, "recipient_post_code"),
        ],
    )
    def test_missing_fields_are_refused(self, sandbox, token, failed, route, body, missing):
        response = self.reroute(sandbox, token, failed["id"], route, body)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert any(missing in line for line in response.json()["details"])

    def test_pending_or_received_invoices_are_not_rerouted(self, sandbox, token, company):
        sandbox.set_exchange(invoice_delivery_seconds=3600)
        pending = sent(sandbox, token)
        received = sandbox.incoming(company["company_id"], count=1)[0]
        body = {"recipient_email": "ap@example.com"}

        for invoice in (pending, received):
            response = self.reroute(sandbox, token, invoice["id"], "email", body)
            assert response.status_code == HTTPStatus.BAD_REQUEST

    def test_unknown_route_is_not_found(self, sandbox, token, failed):
        response = self.reroute(sandbox, token, failed["id"], "fax", {})

        assert response.status_code == HTTPStatus.NOT_FOUND


def test_teapps_sample_to_its_external_recipient(sandbox, token):
    created = sent(sandbox, token, sample("teappsxml30-invoice.xml"))

    moved = get_invoice(sandbox, token, created["id"])

    assert moved["recipient"]["operator"] == "003703575029"
    assert moved["status"] == "DELIVERED"
