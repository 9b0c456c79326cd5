"""The staff inbox without Maventa: order, unread counts, filters, search and who may act."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from receivables.models import Assignment, Message, MessageThread
from receivables.views import PAGE_SIZE
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _thread(company, maventa_id, *, unread=0, flagged=False, minutes_ago=0, subject="", **more):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    thread = MessageThread.objects.create(
        company=company,
        maventa_id=maventa_id,
        subject=subject or f"Thread {maventa_id}",
        flagged=flagged,
        unread_count=unread,
        last_message_at=at,
        **more,
    )
    for n in range(unread):
        Message.objects.create(
            thread=thread,
            maventa_id=f"{maventa_id}-m{n}",
            author_kind=Message.AuthorKind.AMILI,
            body=f"Amili asks {n}",
            sent_at=at,
        )
    return thread


def _order(page: str, threads) -> list[str]:
    positions = {t.maventa_id: page.index(f'data-thread="{t.pk}"') for t in threads}
    return sorted(positions, key=positions.get)


def test_unread_then_flagged_then_newest_with_the_counts(viewer_client):
    company = CompanyFactory()
    newest = _thread(company, "newest", minutes_ago=1)
    flagged = _thread(company, "flagged", flagged=True, minutes_ago=30)
    unread = _thread(company, "unread", unread=2, minutes_ago=60)
    older = _thread(company, "older", minutes_ago=90)

    response = viewer_client.get(reverse("receivables:inbox"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert _order(page, [newest, flagged, unread, older]) == [
        "unread",
        "flagged",
        "newest",
        "older",
    ]
    assert "2 unread messages" in page


def test_filters_and_search(viewer_client):
    mine, other = CompanyFactory(name="Mine Oy"), CompanyFactory(name="Other Oy")
    assignment = Assignment.objects.create(
        company=mine, maventa_id="as-1", invoice_id="inv-1", debtor_name="Debtor Ab"
    )
    with_assignment = _thread(mine, "a", assignment=assignment)
    flagged = _thread(other, "b", flagged=True)
    found_by_text = _thread(other, "c", unread=1)
    inbox = reverse("receivables:inbox")

    def shown(**query):
        page = viewer_client.get(inbox, query).content.decode()
        return {
            t.maventa_id
            for t in (with_assignment, flagged, found_by_text)
            if f'data-thread="{t.pk}"' in page
        }

    assert shown(company=mine.pk) == {"a"}
    assert shown(flagged="yes") == {"b"}
    assert shown(flagged="no") == {"a", "c"}
    assert shown(assignment="inv-1") == {"a"}
    assert shown(q="asks 0") == {"c"}
    assert shown(q="debtor") == {"a"}


def test_the_home_page_shows_the_unread_count(viewer_client):
    _thread(CompanyFactory(), "x", unread=3)

    page = viewer_client.get(reverse("portal:home")).content.decode()

    assert '<strong id="home-unread">3</strong>' in page


def test_viewers_are_refused_reply_flag_and_fetch(viewer_client):
    thread = _thread(CompanyFactory(), "t")

    for name in ("receivables:reply", "receivables:flag"):
        response = viewer_client.post(
            reverse(name, args=[thread.pk]), {"body": "x", "flagged": "1"}
        )
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert viewer_client.post(reverse("receivables:fetch")).status_code == HTTPStatus.FORBIDDEN
    assert not thread.messages.exists()
    thread.refresh_from_db()
    assert thread.flagged is False


def test_a_viewer_reads_a_conversation_without_the_reply_box(viewer_client):
    thread = _thread(CompanyFactory(), "t")
    Message.objects.create(
        thread=thread,
        maventa_id="mine",
        author_kind="company",
        body="We paid.",
        seen_at=timezone.now(),
    )

    page = viewer_client.get(reverse("receivables:thread", args=[thread.pk])).content.decode()

    assert "We paid." in page
    assert 'id="reply"' not in page
    assert reverse("receivables:flag", args=[thread.pk]) not in page


def test_staff_without_the_permission_are_refused_the_inbox(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(staff=True))

    assert client.get(reverse("receivables:inbox")).status_code == HTTPStatus.FORBIDDEN


def test_the_header_of_every_staff_page_shows_the_unread_count(viewer_client, make_company):
    from django.urls import reverse

    from receivables.models import MessageThread

    MessageThread.objects.create(
        company=make_company(), maventa_id="header-thread", subject="Late payment", unread_count=2
    )

    page = viewer_client.get(reverse("companies:list")).content.decode()

    assert "(2 unread)" in page


ADMIN_THREADS = "admin:receivables_messagethread_changelist"


def _admin_rows(page: str, threads) -> list[str]:
    """The threads in the admin's list, in the order shown (each row links to its thread)."""
    positions = {
        t.maventa_id: page.find(reverse("admin:receivables_messagethread_change", args=[t.pk]))
        for t in threads
    }
    return sorted((k for k, v in positions.items() if v >= 0), key=positions.get)


def test_the_admin_lists_unread_threads_first_with_their_counts(viewer_client):
    company = CompanyFactory()
    read = _thread(company, "read", minutes_ago=1)
    unread = _thread(company, "unread", unread=2, minutes_ago=60)

    page = viewer_client.get(reverse(ADMIN_THREADS)).content.decode()

    assert _admin_rows(page, [read, unread]) == ["unread", "read"]
    assert '<td class="field-unread">2</td>' in page


def test_the_admin_filters_the_unread_threads(viewer_client):
    company = CompanyFactory()
    read, unread = _thread(company, "read"), _thread(company, "unread", unread=1)

    only_unread = viewer_client.get(reverse(ADMIN_THREADS), {"unread": "yes"}).content.decode()
    only_read = viewer_client.get(reverse(ADMIN_THREADS), {"unread": "no"}).content.decode()

    assert _admin_rows(only_unread, [read, unread]) == ["unread"]
    assert _admin_rows(only_read, [read, unread]) == ["read"]


def test_the_admin_list_costs_the_same_queries_for_more_threads(viewer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer_client.get(reverse(ADMIN_THREADS)).status_code == HTTPStatus.OK
        return len(captured)

    _thread(CompanyFactory(), "first", unread=1)
    few = queries()
    for n in range(5):
        _thread(CompanyFactory(), f"more-{n}", unread=n)

    assert queries() == few


def test_the_admin_header_shows_the_unread_count(viewer_client):
    _thread(CompanyFactory(), "x", unread=3)

    for url in (reverse("admin:index"), reverse(ADMIN_THREADS)):
        page = viewer_client.get(url).content.decode()
        header = page[page.index('id="header-messages"') :]
        assert header.startswith('id="header-messages">Messages <strong>(3 unread)</strong>')


def test_the_inbox_pages_keep_the_filters_and_put_every_unread_thread_first(viewer_client):
    company = CompanyFactory()
    for n in range(PAGE_SIZE + 5):
        _thread(company, f"read-{n}", minutes_ago=n)
    _thread(company, "unread-old", unread=1, minutes_ago=10_000)

    first = viewer_client.get(reverse("receivables:inbox"), {"company": company.pk})
    second = viewer_client.get(reverse("receivables:inbox"), {"company": company.pk, "page": 2})

    first_page = first.content.decode()
    assert "Thread unread-old" in first_page
    assert f'href="?company={company.pk}&amp;page=2"' in first_page
    assert len(second.context["page"].object_list) == 6
    assert "Thread unread-old" not in second.content.decode()
