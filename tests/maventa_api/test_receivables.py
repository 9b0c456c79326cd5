"""The Receivables client offline: request shapes on the right host, paging, and the requests
it refuses before sending (a bad IBAN or BIC, missing activation fields, an empty reply)."""

from __future__ import annotations

import json

import pytest

from maventa_portal.maventa_api import receivables
from maventa_portal.maventa_api.errors import Invalid
from tests.contract.client_calls import UNKNOWN, call_sites
from tests.maventa_api.offline import AX, OFFLINE_BASE, TOKEN_URL, calls_to, query_of, token_answer

RCV = f"{OFFLINE_BASE}/receivables"
ADDRESS = receivables.Address(
    country="FI", streets=("Testikatu 1", "B 2"), city="Helsinki", zip_code="00100"
)
FIELDS = {
    "iban": "FI21 1234 5600 0007 85",
    "bic": "nordfihh",
    "bank": "Nordea",
    "contact_person": "Maija Meikäläinen",
    "contact_email": "maija@example.com",
    "customer_service_email": "asiakaspalvelu@example.com",
    "contact_phone_number": "+358401234567",
    "authorization_email": "ceo@example.com",
    "billing_address": ADDRESS,
}


@pytest.fixture
def token(http_mock):
    http_mock.post(TOKEN_URL, json=token_answer())


def _sent(call) -> dict:
    return json.loads(call.request.body)


def test_iban_checksum_and_bic_format():
    assert receivables.iban_is_valid("FI21 1234 5600 0007 85")
    assert not receivables.iban_is_valid("FI22 1234 5600 0007 85")
    assert not receivables.iban_is_valid("not an iban")
    assert receivables.bic_is_valid("NDEAFIHH")
    assert receivables.bic_is_valid("NDEAFIHHXXX")
    assert not receivables.bic_is_valid("NDEA")


def test_activation_is_sent_with_the_iban_compacted_and_the_state_read(
    http_mock, token, offline_api
):
    url = f"{AX}/v1/services/receivables"
    http_mock.put(
        url,
        json={
            "status": "PENDING",
            "iban": "FI2112345600000785",
            "billing_address": {"country": "FI", "streets": ["Testikatu 1"], "city": "Helsinki"},
            "vfsfi": {
                "iban": "FI0000000000000000",
                "bic": "OKOYFIHH",
                "account_number": "123",
                "notes": [{"phrase": "Saatava on siirretty", "code": "FI"}],
            },
        },
    )

    state = receivables.activate(offline_api, accountable_party="vfsfi", **FIELDS)

    sent = _sent(calls_to(http_mock, "PUT", url)[0])
    assert sent["iban"] == "FI2112345600000785"
    assert sent["bic"] == "NORDFIHH"
    assert sent["accountable_party"] == "vfsfi"
    assert sent["billing_address"]["streets"] == ["Testikatu 1", "B 2"]
    assert "postal_address" not in sent
    assert state.status == "PENDING"
    assert state.billing_address.streets == ("Testikatu 1",)
    assert state.vfsfi.notes[0] == receivables.Note(phrase="Saatava on siirretty", code="FI")
    assert state.raw["iban"] == "FI2112345600000785"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"iban": "FI22 1234 5600 0007 85"}, "IBAN"),
        ({"bic": "NDEA"}, "BIC"),
        ({"bank": ""}, "bank"),
        ({"billing_address": receivables.Address(country="FI")}, "billing address"),
        ({"accountable_party": "someone"}, "accountable party"),
    ],
)
def test_activation_refused_before_any_call(http_mock, offline_api, change, said):
    with pytest.raises(Invalid) as refused:
        receivables.activate(offline_api, **{**FIELDS, **change})

    assert said in refused.value.staff_message
    assert refused.value.status is None
    assert not http_mock.calls


def test_deactivation_deletes_the_service(http_mock, token, offline_api):
    url = f"{AX}/v1/services/receivables"
    http_mock.delete(url, status=204)

    receivables.deactivate(offline_api)

    assert len(calls_to(http_mock, "DELETE", url)) == 1


def test_assignments_are_filtered_and_paged_on_the_receivables_host(http_mock, token, offline_api):
    url = f"{RCV}/v1/assignments"
    http_mock.get(
        url,
        json=[
            {
                "id": "a-1",
                "invoice_id": "inv-1",
                "reference_ids": ["inv-1"],
                "status": "partially_closed",
                "amount": 100.5,
                "events": [{"id": "e-1", "type": "paid", "amount": 50}],
            }
        ],
        headers={"X-Page": "2", "X-Total-Pages": "3"},
    )

    page = receivables.list_assignments(
        offline_api, status="open", debtor_name="Buyer Oy", page=2, per_page=50
    )

    assert query_of(calls_to(http_mock, "GET", url)[0]) == [
        ("status", "open"),
        ("debtor_name", "Buyer Oy"),
        ("page", "2"),
        ("per_page", "50"),
    ]
    assert page.next_page == 3
    (assignment,) = page.items
    assert assignment.reference_ids == ("inv-1",)
    assert assignment.events[0].type == "paid"
    assert assignment.status == "partially_closed"


def test_overview_events_and_seen(http_mock, token, offline_api):
    http_mock.get(f"{RCV}/v1/assignments/overview", json={"open": 3, "soon_due": 1, "overdue": 2})
    http_mock.get(f"{RCV}/v1/events", json=[{"id": "e-1", "type": "close"}])
    http_mock.get(f"{RCV}/v1/assignments/a%2F1/events", json=[{"id": "e-2", "type": "comment"}])
    seen = f"{RCV}/v1/assignments/a%2F1/events/e-2/seen"
    http_mock.post(seen, status=204)

    overview = receivables.assignments_overview(offline_api)
    events = receivables.list_events(offline_api)
    own = receivables.list_assignment_events(offline_api, assignment_id="a/1")
    receivables.mark_event_seen(offline_api, assignment_id="a/1", event_id="e-2")

    assert overview == receivables.Overview(open=3, soon_due=1, overdue=2)
    assert events.items[0].type == "close"
    assert own[0].id == "e-2"
    assert len(calls_to(http_mock, "POST", seen)) == 1


def test_an_event_is_added_with_its_fields(http_mock, token, offline_api):
    url = f"{RCV}/v1/assignments/a-1/events"
    http_mock.post(url, status=201, json={"id": "e-9", "type": "due_date_change"})

    event = receivables.add_assignment_event(
        offline_api, assignment_id="a-1", type="due_date_change", due_date="2026-12-31"
    )

    assert _sent(calls_to(http_mock, "POST", url)[0]) == {
        "type": "due_date_change",
        "due_date": "2026-12-31",
    }
    assert event.id == "e-9"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": "close"},
        {"type": "comment", "message": "  "},
        {"type": "due_date_change"},
    ],
)
def test_events_maventa_would_refuse_are_not_sent(http_mock, offline_api, kwargs):
    with pytest.raises(Invalid):
        receivables.add_assignment_event(offline_api, assignment_id="a-1", **kwargs)

    assert not http_mock.calls


def test_service_levels(http_mock, token, offline_api):
    http_mock.get(
        f"{RCV}/v1/service_levels",
        json=[{"customer_bid": "1234567-8", "service_level": "vip"}],
    )
    http_mock.get(f"{RCV}/v1/service_levels/7654321-0", json={})
    url = f"{RCV}/v1/service_levels/1234567-8"
    http_mock.patch(url, json={"customer_bid": "1234567-8", "service_level": "premium"})

    listed = receivables.list_service_levels(offline_api)
    default = receivables.get_service_level(offline_api, customer_bid="7654321-0")
    changed = receivables.set_service_level(
        offline_api, customer_bid="1234567-8", service_level="premium"
    )

    assert listed == [receivables.ServiceLevel("1234567-8", "vip")]
    assert default == receivables.ServiceLevel("7654321-0", "default")
    assert _sent(calls_to(http_mock, "PATCH", url)[0]) == {"service_level": "premium"}
    assert changed.service_level == "premium"
    with pytest.raises(Invalid):
        receivables.set_service_level(offline_api, customer_bid="1", service_level="gold")


def test_threads_messages_flag_reply_and_seen(http_mock, token, offline_api):
    http_mock.get(
        f"{RCV}/v1/message_threads",
        json=[{"id": "t-1", "subject": "Invoice 12", "last_message": {"id": "m-2"}}],
    )
    http_mock.get(f"{RCV}/v1/message_threads/t-1", json={"id": "t-1", "unread_count": 1})
    http_mock.patch(f"{RCV}/v1/message_threads/t-1", json={"id": "t-1", "flagged": True})
    messages = f"{RCV}/v1/message_threads/t-1/messages"
    http_mock.get(
        messages,
        json=[
            {"id": "m-2", "body": "later", "created_at": "2026-11-02T00:00:00Z"},
            {"id": "m-1", "body": "first", "created_at": "2026-11-01T00:00:00Z"},
        ],
    )
    http_mock.post(messages, status=201, json={"id": "m-3", "author_type": "company"})
    assignment = f"{RCV}/v1/assignments/a-1/messages"
    http_mock.post(assignment, status=201, json={"id": "m-4", "thread_id": "t-2"})
    http_mock.get(assignment, json=[{"id": "m-4"}])
    seen = f"{RCV}/v1/messages/m-2/seen"
    http_mock.put(seen, status=204)

    threads = receivables.list_threads(offline_api)
    thread = receivables.get_thread(offline_api, thread_id="t-1")
    flagged = receivables.flag_thread(offline_api, thread_id="t-1", flagged=True)
    read = receivables.list_thread_messages(offline_api, thread_id="t-1")
    reply = receivables.reply_to_thread(offline_api, thread_id="t-1", body="Thanks")
    written = receivables.write_about_assignment(offline_api, assignment_id="a-1", body="Hi")
    about = receivables.list_assignment_messages(offline_api, assignment_id="a-1")
    receivables.mark_message_seen(offline_api, message_id="m-2")

    assert threads.items[0].last_message.id == "m-2"
    assert thread.unread_count == 1
    assert flagged.flagged is True
    assert _sent(calls_to(http_mock, "PATCH", f"{RCV}/v1/message_threads/t-1")[0]) == {
        "flagged": True
    }
    assert [m.id for m in read] == ["m-1", "m-2"]
    assert _sent(calls_to(http_mock, "POST", messages)[0]) == {"body": "Thanks"}
    assert reply.id == "m-3"
    assert written.thread_id == "t-2"
    assert about[0].id == "m-4"
    assert len(calls_to(http_mock, "PUT", seen)) == 1


def test_an_empty_reply_is_not_sent(http_mock, offline_api):
    with pytest.raises(Invalid):
        receivables.reply_to_thread(offline_api, thread_id="t-1", body=" ")

    assert not http_mock.calls


def test_the_contract_reader_reads_every_receivables_path():
    sites = [s for s in call_sites() if s.where.startswith("receivables.py")]

    assert not [s for s in sites if s.template == UNKNOWN]
    read = {(s.api, s.method, s.template) for s in sites}
    assert ("receivables", "PUT", "/v1/messages/{}/seen") in read
    assert ("receivables", "POST", "/v1/assignments/{}/events/{}/seen") in read
    assert ("ax", "DELETE", "/v1/services/receivables") in read
    assert len(read) == 21
