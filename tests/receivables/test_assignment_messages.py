"""Writing to Visma Amili from an assignment's page, against the sandbox: the thread opened when
there is none, the conversation shown with who wrote each message, the refusals, the audit."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from maventa_portal.core.models import AuditEntry
from receivables.models import Assignment, Message, MessageThread
from receivables.services import sync_assignments, sync_message_threads


@pytest.fixture
def case(sandbox, make_company) -> Assignment:
    """An open assignment at Maventa, mirrored here, with no conversation yet."""
    company = make_company()
    sandbox.create_assignment(str(company.maventa_id), debtor_name="Velallinen Oy", amount="80.00")
    sync_assignments(company=company)
    return Assignment.objects.get(company=company)


def _write_key(case: Assignment) -> str:
    return f"POST /receivables/v1/assignments/{case.maventa_id}/messages"


def test_the_first_message_opens_the_thread_and_shows_with_its_writer(
    sandbox, case, operator, operator_client
):
    url = reverse("receivables:assignment_message", args=[case.pk])

    response = operator_client.post(
        url, {"subject": "Payment plan", "body": "The debtor asks for a payment plan."}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("receivables:assignment", args=[case.pk]))
    thread = MessageThread.objects.get(assignment=case)
    message = thread.messages.get()
    assert (message.body, message.replied_by) == ("The debtor asks for a payment plan.", operator)
    page = operator_client.get(response["Location"]).content.decode()
    conversation = page[page.index('id="conversation"') :]
    assert "The debtor asks for a payment plan." in conversation
    assert f"{operator.get_username()} (staff)" in conversation
    assert reverse("receivables:thread", args=[thread.pk]) in page


def test_a_second_message_goes_to_the_same_thread_after_amili_s(sandbox, case, operator_client):
    url = reverse("receivables:assignment_message", args=[case.pk])
    operator_client.post(url, {"body": "First question."})
    sandbox.amili_message("First answer.", assignment_id=case.maventa_id)
    sync_message_threads(company=case.company)

    operator_client.post(url, {"body": "Second question."})

    thread = MessageThread.objects.get(assignment=case)
    assert list(thread.messages.values_list("body", flat=True)) == [
        "First question.",
        "First answer.",
        "Second question.",
    ]
    page = operator_client.get(reverse("receivables:assignment", args=[case.pk])).content.decode()
    positions = [page.index(text) for text in ("First question.", "First answer.", "Second q")]
    assert positions == sorted(positions)
    assert "Visma Amili" in page[positions[0] : positions[1]]


def test_the_assignment_s_comments_are_in_the_conversation(sandbox, case, operator_client):
    sandbox.amili_event(case.maventa_id, "comment", message="We called the debtor today.")
    sync_assignments(company=case.company)

    page = operator_client.get(reverse("receivables:assignment", args=[case.pk])).content.decode()

    conversation = page[page.index('id="conversation"') :]
    assert "We called the debtor today." in conversation
    assert "Comment on the assignment" in conversation


def test_a_viewer_is_refused_and_nothing_changes(sandbox, case, viewer_client):
    url = reverse("receivables:assignment_message", args=[case.pk])

    page = viewer_client.get(reverse("receivables:assignment", args=[case.pk])).content.decode()
    refused = viewer_client.post(url, {"body": "Let me in."})

    assert 'id="write-message"' not in page
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert not MessageThread.objects.exists()
    assert sandbox.requests_to(_write_key(case)) == 0
    assert not AuditEntry.objects.filter(event="receivables.write_about_assignment").exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Write the message."),
        ("x" * 10001, "Ensure this value has at most 10000 characters"),
    ],
)
def test_an_empty_or_too_long_message_is_refused_before_any_call(
    sandbox, case, operator_client, body, error
):
    url = reverse("receivables:assignment_message", args=[case.pk])

    response = operator_client.post(url, {"subject": "Hello", "body": body})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert error in response.content.decode()
    assert sandbox.requests_to(_write_key(case)) == 0
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(event="receivables.write_about_assignment").exists()


def test_writing_leaves_an_audit_entry_with_the_writer(sandbox, case, operator, operator_client):
    operator_client.post(
        reverse("receivables:assignment_message", args=[case.pk]), {"body": "Any news?"}
    )

    entry = AuditEntry.objects.get(event="receivables.write_about_assignment")
    assert entry.actor == operator
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.company_id == case.company_id
    assert entry.asked["body"] == "Any news?"


def test_a_get_of_the_message_address_leads_to_the_assignment(sandbox, case, viewer_client):
    response = viewer_client.get(reverse("receivables:assignment_message", args=[case.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("receivables:assignment", args=[case.pk])


def test_the_subject_is_asked_only_before_the_conversation_starts(sandbox, case, operator_client):
    page_url = reverse("receivables:assignment", args=[case.pk])
    before = operator_client.get(page_url).content.decode()
    operator_client.post(
        reverse("receivables:assignment_message", args=[case.pk]), {"body": "Hello."}
    )

    after = operator_client.get(page_url).content.decode()

    assert 'name="subject"' in before
    assert 'name="subject"' not in after
    assert 'name="body"' in after
