"""The inbox of conversations with Visma Amili in Chromium: unread threads stand out, reading a
conversation marks each message seen once and the unread count drops, a reply shows with who
wrote it, and Amili's answer arrives when staff check for new messages."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from maventa_portal.core.roles import OPERATORS
from receivables.models import Assignment, Message, MessageThread
from receivables.services import sync_assignments, sync_message_threads
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.slow]

PASSWORD = "browser-test-password-3"  # noqa: S105 - a test user
REPLY = "Tarkistimme: maksu saapui eilen. / We checked: the payment arrived yesterday."
# Part of the sandbox's Amili answer to any staff message.
ANSWER = "we will get back to you shortly"
# How long Amili may take, in the sandbox, beyond its answer delay of a second.
ANSWER_WAIT_SECONDS = 20


def _seen_key(message: Message) -> str:
    return f"PUT /receivables/v1/messages/{message.maventa_id}/seen"


@pytest.fixture
def demo_thread(sandbox, make_company) -> MessageThread:
    """Receivables active for a company whose conversation ends in two unread Amili messages,
    mirrored through the real sync; Amili answers staff a second later."""
    company = make_company(name="Perintä Oy")
    sandbox.receivables_demo(str(company.maventa_id))
    sandbox.set_receivables(answer_delay_seconds=1)
    sync_assignments(company=company)
    sync_message_threads(company=company)
    return MessageThread.objects.get(company=company)


def _check_until_amili_answers(page, conversation) -> None:
    """Clicks "Check for new messages" until Amili's answer is in the conversation."""
    deadline = time.monotonic() + ANSWER_WAIT_SECONDS
    while True:
        page.get_by_role("button", name="Check for new messages").click()
        try:
            expect(conversation.last).to_contain_text(ANSWER, timeout=1_500)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def test_read_a_conversation_reply_and_see_amili_answer(
    live_server, sandbox, demo_thread, page, violations
):
    UserFactory(
        username="inbox-staffer",
        first_name="Iida",
        last_name="Operaattori",
        password=PASSWORD,
        staff=True,
        role=OPERATORS,
    )
    from_amili = list(demo_thread.messages.filter(author_kind="amili").order_by("sent_at", "pk"))
    assert len(from_amili) == 2
    inbox = f"{live_server.url}/portal/messages/"
    thread_url = f"{inbox}threads/{demo_thread.pk}/"

    page.goto(inbox)
    page.get_by_label("Username").fill("inbox-staffer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(inbox)
    row = page.locator(f'#threads tr[data-thread="{demo_thread.pk}"]')
    expect(row).to_have_class(re.compile(r"\bthread--unread\b"))
    expect(row.locator("td").first).to_have_text("2")
    expect(page.locator("#unread-total")).to_contain_text("2 unread messages")
    expect(page.locator("#header-messages")).to_have_text("Messages (2 unread)")

    row.get_by_role("link", name=str(demo_thread)).click()

    expect(page).to_have_url(thread_url)
    conversation = page.locator("#conversation li.message")
    expect(conversation).to_have_count(2)
    expect(conversation.nth(0)).to_contain_text(from_amili[0].body)
    expect(conversation.nth(1)).to_contain_text(from_amili[1].body)
    expect(page.locator("#header-messages")).to_have_text("Messages")
    page.goto(inbox)
    expect(page.locator("#unread-total")).to_have_text("No unread messages.")
    expect(row).not_to_have_class(re.compile(r"\bthread--unread\b"))
    # Opened a second time, the thread tells Maventa nothing new.
    page.goto(thread_url)
    expect(conversation).to_have_count(2)
    assert [sandbox.requests_to(_seen_key(m)) for m in from_amili] == [1, 1]

    page.get_by_label("Reply to Visma Amili").fill(REPLY)
    page.get_by_role("button", name="Send reply").click()

    expect(page).to_have_url(thread_url)
    expect(conversation).to_have_count(3)
    expect(conversation.last).to_contain_text(REPLY)
    expect(conversation.last.locator(".message__author")).to_contain_text(
        "Iida Operaattori (staff)"
    )

    _check_until_amili_answers(page, conversation)

    expect(conversation).to_have_count(4)
    expect(conversation.last.locator(".message__author")).to_contain_text("Visma Amili")
    expect(conversation.nth(2)).to_contain_text(REPLY)
    expect(page.locator("#header-messages")).to_have_text("Messages")
    answer = demo_thread.messages.filter(author_kind="amili").latest("sent_at", "pk")
    assert ANSWER in answer.body
    assert sandbox.requests_to(_seen_key(answer)) == 1
    assert [sandbox.requests_to(_seen_key(m)) for m in from_amili] == [1, 1]
    assert violations == []


def test_write_to_amili_from_an_assignment_page(
    live_server, sandbox, demo_thread, page, violations
):
    UserFactory(username="case-staffer", password=PASSWORD, staff=True, role=OPERATORS)
    quiet = Assignment.objects.filter(company=demo_thread.company, threads__isnull=True).first()
    case_url = f"{live_server.url}/portal/messages/assignments/{quiet.pk}/"

    page.goto(case_url)
    page.get_by_label("Username").fill("case-staffer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(case_url)
    expect(page.locator("#conversation")).to_have_text("No messages yet.")
    form = page.locator("#write-message")
    form.get_by_label("Subject").fill("Payment plan")
    form.get_by_label("Message to Visma Amili").fill("Could the debtor pay in two parts?")
    form.get_by_role("button", name="Send to Visma Amili").click()

    conversation = page.locator("#conversation li.message")
    expect(conversation).to_have_count(1)
    expect(conversation.first).to_contain_text("Could the debtor pay in two parts?")
    expect(conversation.first.locator(".message__author")).to_contain_text("case-staffer (staff)")
    page.get_by_role("link", name="Payment plan").click()
    expect(page.locator("#conversation li.message")).to_have_count(1)
    assert violations == []
