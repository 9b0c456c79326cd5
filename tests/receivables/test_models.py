"""Receivables' models: remote ids kept once, the rules the database holds, the roles' rights,
and an admin that only shows."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from receivables.models import (
    Assignment,
    AssignmentEvent,
    Message,
    MessageThread,
    ReceivablesActivation,
    ServiceLevel,
)
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

ACTS = (
    "receivables.manage_receivables",
    "receivables.add_assignment_event",
    "receivables.set_service_level",
    "receivables.reply_message",
)


def test_viewers_read_and_operators_also_act(viewer, operator):
    assert viewer.has_perm("receivables.view_messagethread")
    assert not any(viewer.has_perm(p) for p in ACTS)
    assert operator.has_perm("receivables.view_assignment")
    assert all(operator.has_perm(p) for p in ACTS)


def test_remote_ids_are_kept_once():
    company = CompanyFactory()
    Assignment.objects.create(company=company, maventa_id="a-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(company=company, maventa_id="a-1")


def test_one_level_per_customer_and_one_activation_per_company():
    company = CompanyFactory()
    ServiceLevel.objects.create(company=company, customer_bid="1234567-8", level="vip")
    ReceivablesActivation.objects.create(company=company)

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(company=company, customer_bid="1234567-8")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceivablesActivation.objects.create(company=company)


def test_a_message_from_amili_has_no_replying_user(operator):
    company = CompanyFactory()
    thread = MessageThread.objects.create(company=company, maventa_id="t-1")
    Message.objects.create(
        thread=thread, maventa_id="m-1", author_kind="company", replied_by=operator
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            thread=thread, maventa_id="m-2", author_kind="amili", replied_by=operator
        )


def test_threads_list_unread_then_flagged_first():
    company = CompanyFactory()
    read = MessageThread.objects.create(company=company, maventa_id="t-1")
    flagged = MessageThread.objects.create(company=company, maventa_id="t-2", flagged=True)
    unread = MessageThread.objects.create(company=company, maventa_id="t-3", unread_count=2)

    assert list(MessageThread.objects.all()) == [unread, flagged, read]


def test_events_follow_their_assignment():
    assignment = Assignment.objects.create(company=CompanyFactory(), maventa_id="a-1")
    AssignmentEvent.objects.create(assignment=assignment, maventa_id="e-1", type="paid")

    assert assignment.events.get().get_type_display() == "Paid"


@pytest.mark.parametrize(
    "model",
    [
        "receivablesactivation",
        "assignment",
        "assignmentevent",
        "servicelevel",
        "messagethread",
        "message",
    ],
)
def test_the_admin_shows_but_never_adds(admin_client, model):
    listed = admin_client.get(f"/admin/receivables/{model}/")
    added = admin_client.get(f"/admin/receivables/{model}/add/")

    assert listed.status_code == 200
    assert added.status_code == 403
