"""Messaging against the sandbox: marking seen once per message, a reply and Amili's answer,
flagging, and their audit entries. Threads and messages are mirrored here by hand, as Maventa
has them, so that only the calls under test reach the sandbox."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.urls import reverse

from companies.access import company_api
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api import receivables as rcv
from receivables.models import Message, MessageThread
from receivables.services import messaging


def _seen_key(message: Message) -> str:
    return f"PUT /receivables/v1/messages/{message.maventa_id}/seen"


@pytest.fixture
def conversation(sandbox, make_company):
    """A company's thread with two unread messages from Amili, at Maventa and mirrored here."""
    company = make_company()
    assignment = sandbox.create_assignment(
        str(company.maventa_id), debtor_name="Debtor Oy", amount="120.00", invoice_number="7"
    )
    first = sandbox.amili_message("Has the debtor paid?", assignment_id=assignment["id"])
    second = sandbox.amili_message("Please answer.", thread_id=first["thread_id"])
    thread = MessageThread.objects.create(
        company=company, maventa_id=first["thread_id"], subject="Invoice 7", unread_count=2
    )
    for found in (first, second):
        Message.objects.create(
            thread=thread, maventa_id=found["id"], author_kind="amili", body=found["body"]
        )
    return thread


def test_opening_a_thread_twice_marks_each_message_seen_once(
    sandbox, conversation, operator_client
):
    page = reverse("receivables:thread", args=[conversation.pk])

    assert operator_client.get(page).status_code == HTTPStatus.OK
    assert operator_client.get(page).status_code == HTTPStatus.OK

    for message in conversation.messages.all():
        assert sandbox.requests_to(_seen_key(message)) == 1
        assert message.seen_marked_at is not None
    conversation.refresh_from_db()
    assert conversation.unread_count == 0
    at_maventa = rcv.get_thread(
        company_api(conversation.company, scope=rcv.SCOPE), thread_id=conversation.maventa_id
    )
    assert at_maventa.unread_count == 0


def test_a_claimed_message_is_not_marked_again(sandbox, conversation):
    message = conversation.messages.first()

    assert messaging.mark_seen(message) is True
    assert messaging.mark_seen(Message.objects.get(pk=message.pk)) is False

    assert sandbox.requests_to(_seen_key(message)) == 1


def test_a_failed_mark_is_tried_again_on_the_next_opening(sandbox, conversation, settings):
    message = conversation.messages.first()
    settings.MAVENTA_SANDBOX_URL = "http://127.0.0.1:9/sandbox"  # nothing answers here

    with pytest.raises(Exception):  # noqa: B017, PT011 - whichever error the client maps it to
        messaging.mark_seen(message)

    message.refresh_from_db()
    assert message.seen_marked_at is None


def test_a_reply_round_trip_with_amili_s_answer(sandbox, conversation, operator, operator_client):
    sandbox.set_receivables(answer_delay_seconds=1)
    reply_url = reverse("receivables:reply", args=[conversation.pk])

    response = operator_client.post(reply_url, {"body": "Not yet, we are calling them."})

    assert response.status_code == HTTPStatus.FOUND
    reply = conversation.messages.get(author_kind="company")
    assert reply.replied_by == operator
    assert reply.body == "Not yet, we are calling them."
    page = operator_client.get(reverse("receivables:thread", args=[conversation.pk]))
    assert "Not yet, we are calling them." in page.content.decode()
    assert operator.get_username() in page.content.decode()
    entry = AuditEntry.objects.get(event="receivables.reply")
    assert entry.actor == operator
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.company_id == conversation.company_id
    # Amili answers a while later; Maventa then lists it after the reply.
    api = company_api(conversation.company, scope=rcv.SCOPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = rcv.list_thread_messages(api, thread_id=conversation.maventa_id)
        if found[-1].author_type == "amili":
            break
        time.sleep(0.3)
    assert found[-1].author_type == "amili"
    assert [m.id for m in found].index(reply.maventa_id) < len(found) - 1
    # Fetched on demand, the answer is unread in the inbox until the thread is opened.
    assert operator_client.post(reverse("receivables:fetch")).status_code == HTTPStatus.FOUND
    conversation.refresh_from_db()
    assert conversation.unread_count == 1
    answer = conversation.messages.get(maventa_id=found[-1].id)
    assert answer.author_kind == "amili"
    assert conversation.messages.get(pk=reply.pk).replied_by == operator
    operator_client.get(reverse("receivables:thread", args=[conversation.pk]))
    conversation.refresh_from_db()
    assert conversation.unread_count == 0
    assert sandbox.requests_to(_seen_key(answer)) == 1


def test_flag_and_unflag_are_sent_and_audited(sandbox, conversation, operator, operator_client):
    flag_url = reverse("receivables:flag", args=[conversation.pk])

    assert operator_client.post(flag_url, {"flagged": "1"}).status_code == HTTPStatus.FOUND
    conversation.refresh_from_db()
    assert conversation.flagged is True
    api = company_api(conversation.company, scope=rcv.SCOPE)
    assert rcv.get_thread(api, thread_id=conversation.maventa_id).flagged is True

    operator_client.post(flag_url, {"flagged": "0", "next": "inbox"})

    conversation.refresh_from_db()
    assert conversation.flagged is False
    assert rcv.get_thread(api, thread_id=conversation.maventa_id).flagged is False
    events = list(
        AuditEntry.objects.filter(event__startswith="receivables.")
        .order_by("pk")
        .values_list("event", "actor", "outcome")
    )
    assert events == [
        ("receivables.flag", operator.pk, "done"),
        ("receivables.unflag", operator.pk, "done"),
    ]


def test_writing_about_an_assignment_opens_its_thread(sandbox, make_company, operator):
    from maventa_portal.core.audit import Actor
    from receivables.models import Assignment

    company = make_company()
    remote = sandbox.create_assignment(str(company.maventa_id), debtor_name="D Oy", amount="5.00")
    assignment = Assignment.objects.create(company=company, maventa_id=remote["id"])

    message = messaging.write_about_assignment(
        assignment=assignment, body="Please pause collection.", actor=Actor(user=operator)
    )

    assert message.thread.assignment == assignment
    assert message.replied_by == operator
    assert AuditEntry.objects.filter(event="receivables.write_about_assignment").exists()


def test_checking_a_conversation_fetches_its_company_and_returns_to_it(
    sandbox, conversation, make_company, operator_client
):
    elsewhere = make_company()
    other_case = sandbox.create_assignment(str(elsewhere.maventa_id), debtor_name="Other Oy")
    sandbox.amili_message("About another company.", assignment_id=other_case["id"])
    sandbox.amili_message("One more thing.", thread_id=conversation.maventa_id)

    response = operator_client.post(reverse("receivables:fetch"), {"thread": conversation.pk})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("receivables:thread", args=[conversation.pk])
    assert conversation.messages.filter(body="One more thing.").exists()
    assert not MessageThread.objects.filter(company=elsewhere).exists()
    entry = AuditEntry.objects.get(event="receivables.fetch_messages")
    assert (entry.outcome, entry.company_id) == ("done", conversation.company_id)
    assert entry.actor is not None


def test_checking_an_unknown_conversation_is_not_found(operator_client):
    response = operator_client.post(reverse("receivables:fetch"), {"thread": "999999"})

    assert response.status_code == HTTPStatus.NOT_FOUND
