"""The dashboard at /portal/: figures count the right rows per day, link to the filtered
lists behind them, follow view permissions, and cost the same queries whatever the rows."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from exchange.models import WebhookEvent
from exchange.print_models import PrintBatch
from maventa_portal.core import dashboard
from maventa_portal.core.charts import render
from receivables.models import Assignment
from tests.factories import (
    CompanyFactory,
    DocumentFactory,
    MessageThreadFactory,
    PrintBatchFactory,
    SentInvoiceFactory,
    UserFactory,
    WebhookEventFactory,
)

pytestmark = pytest.mark.django_db

URL = "/portal/"


def _days_ago(days: int, hour: int = 12) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _figures(user, days=30) -> dict[str, dashboard.Figure]:
    since, until = dashboard.period(days)
    return {f.key: f for f in dashboard.gather(since=since, until=until, user=user)}


def _counts(figure, day: dt.date) -> dict[str, int]:
    return dict(figure.series)[day]


@pytest.fixture
def superuser():
    return UserFactory(superuser=True)


def test_sent_invoices_are_counted_per_day_by_status_and_outside_the_period_left_out(superuser):
    SentInvoiceFactory(status="DELIVERED", sent_at=_days_ago(1))
    SentInvoiceFactory(status="FAILED", sent_at=_days_ago(1))
    SentInvoiceFactory(status="DELIVERED", sent_at=_days_ago(3))
    SentInvoiceFactory(status="PENDING", sent_at=_days_ago(3))
    SentInvoiceFactory(status="DELIVERED", sent_at=_days_ago(40))
    SentInvoiceFactory(status="DRAFT", sent_at=None)
    SentInvoiceFactory(direction="RECEIVED", received_at=_days_ago(3))

    figures = _figures(superuser)

    sent = figures["invoices_sent"]
    assert len(sent.series) == 30
    assert _counts(sent, timezone.localdate() - dt.timedelta(days=1)) == {
        "Delivered": 1,
        "Failed": 1,
        "Pending": 0,
    }
    assert _counts(sent, timezone.localdate() - dt.timedelta(days=3)) == {
        "Delivered": 1,
        "Failed": 0,
        "Pending": 1,
    }
    assert sent.value == 4
    assert figures["invoices_delivered"].value == 2
    assert figures["invoices_failed"].value == 1
    assert figures["invoices_received"].value == 1
    assert _figures(superuser, days=90)["invoices_sent"].value == 5


def test_a_day_is_the_local_day(superuser, settings):
    settings.TIME_ZONE = "Europe/Helsinki"
    # 23:30 UTC is already the next day in Helsinki.
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    late = dt.datetime.combine(yesterday, dt.time(23, 30), tzinfo=dt.UTC)
    SentInvoiceFactory(status="DELIVERED", sent_at=late)

    sent = _figures(superuser)["invoices_sent"]

    assert _counts(sent, yesterday + dt.timedelta(days=1))["Delivered"] == 1
    assert _counts(sent, yesterday)["Delivered"] == 0


def test_documents_webhook_events_print_batches_and_receivables_are_counted(superuser):
    DocumentFactory(status="CONFIRMED_DELIVERY", sent_at=_days_ago(2))
    DocumentFactory(status="FAILED", sent_at=_days_ago(2))
    DocumentFactory(direction="RECEIVED", status="DELIVERED", received_at=_days_ago(5))
    WebhookEventFactory(state="PROCESSED", received_at=timezone.now())
    WebhookEventFactory(state="FAILED", received_at=timezone.now() - dt.timedelta(hours=3))
    WebhookEventFactory(state="PROCESSED", received_at=timezone.now() - dt.timedelta(hours=50))
    PrintBatchFactory(status="ACCEPTED")
    PrintBatchFactory(status="FAILED")
    old = PrintBatchFactory(status="FAILED")
    PrintBatch.objects.filter(pk=old.pk).update(created_at=_days_ago(60))
    MessageThreadFactory(unread_count=2)
    MessageThreadFactory(unread_count=3)
    company = CompanyFactory()
    today = timezone.localdate()
    for n, (status, due) in enumerate(
        [
            ("open", today - dt.timedelta(days=1)),
            ("partially_closed", today + dt.timedelta(days=5)),
            ("closed", today - dt.timedelta(days=9)),
        ]
    ):
        Assignment.objects.create(company=company, maventa_id=f"a{n}", status=status, due_date=due)

    figures = _figures(superuser)

    assert figures["documents_sent"].value == 2
    assert figures["documents_delivered"].value == 1
    assert figures["documents_failed"].value == 1
    assert figures["documents_received"].value == 1
    events = figures["webhook_events"]
    assert len(events.series) == dashboard.WEBHOOK_HOURS
    assert events.value == 2
    assert events.series[-1][1]["Processed"] == 1
    assert figures["print_batches"].value == 2
    assert figures["print_failed"].value == 1
    assert figures["print_accepted"].value == 1
    assert figures["unread_messages"].value == 5
    assert figures["open_assignments"].value == 2
    assert figures["overdue_assignments"].value == 1


def test_each_figure_links_to_its_filtered_list(superuser):
    PrintBatchFactory(status="FAILED")
    figures = _figures(superuser)
    first = [(timezone.localdate() - dt.timedelta(days=29)).isoformat()]
    sent, failed = {"direction": ["SENT"], "since": first}, {"status": ["FAILED"]}
    expected = {
        "invoices_failed": ("exchange:list", {**sent, **failed}),
        "invoices_delivered": ("exchange:list", {**sent, "status": ["DELIVERED"]}),
        "invoices_received": ("exchange:list", {"direction": ["RECEIVED"], "since": first}),
        "documents_failed": ("exchange:documents", {**sent, **failed}),
        "documents_received": ("exchange:documents", {"direction": ["RECEIVED"], "since": first}),
        "print_failed": ("exchange:print_list", {"status": ["FAILED"]}),
        "webhook_events": ("admin:exchange_webhookevent_changelist", {}),
        "unread_messages": ("receivables:inbox", {}),
        "open_assignments": ("receivables:assignments", {"status": ["open"]}),
        "overdue_assignments": ("receivables:assignments", {"status": ["open"]}),
        "attention": ("portal:attention", {}),
    }
    for key, (name, query) in expected.items():
        url = urlsplit(figures[key].url)
        assert resolve(url.path).view_name == name, key
        assert parse_qs(url.query) == query, key


def test_the_links_open_lists_that_hold_only_what_was_counted(superuser):
    SentInvoiceFactory(status="FAILED", sent_at=_days_ago(1), number="INV-FAILED")
    SentInvoiceFactory(status="DELIVERED", sent_at=_days_ago(1), number="INV-GOOD")
    client = Client()
    client.force_login(superuser)

    page = client.get(_figures(superuser)["invoices_failed"].url)

    assert page.status_code == HTTPStatus.OK
    assert b"INV-FAILED" in page.content
    assert b"INV-GOOD" not in page.content


def test_a_failed_send_before_the_period_is_not_in_the_list_the_figure_opens(superuser):
    SentInvoiceFactory(status="FAILED", sent_at=_days_ago(1), number="INV-NOW")
    SentInvoiceFactory(status="FAILED", sent_at=_days_ago(40), number="INV-OLD")
    client = Client()
    client.force_login(superuser)

    page = client.get(_figures(superuser)["invoices_failed"].url)

    assert b"INV-NOW" in page.content
    assert b"INV-OLD" not in page.content


def test_a_since_that_is_no_date_is_ignored(superuser):
    SentInvoiceFactory(status="FAILED", sent_at=_days_ago(40), number="INV-OLD")
    client = Client()
    client.force_login(superuser)

    for since in ("yesterday", "0001-01-01", "2026-13-40"):
        page = client.get(reverse("exchange:list"), {"since": since})
        assert page.status_code == HTTPStatus.OK
        assert b"INV-OLD" in page.content


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == HTTPStatus.OK
    return len(queries)


def test_the_page_costs_the_same_queries_for_10_and_100_rows(superuser):
    client = Client()
    client.force_login(superuser)

    def add(n):
        for i in range(n):
            SentInvoiceFactory(status=("DELIVERED", "FAILED")[i % 2], sent_at=_days_ago(i % 20))
            DocumentFactory(status="FAILED", sent_at=_days_ago(i % 20))
            WebhookEventFactory(received_at=timezone.now() - dt.timedelta(hours=i % 40))
        PrintBatchFactory(status="ACCEPTED")

    add(10)
    few = _queries(client)
    add(90)
    assert _queries(client) == few


def test_a_viewer_sees_the_dashboard_with_charts(viewer_client):
    SentInvoiceFactory(status="DELIVERED", sent_at=_days_ago(1))

    page = viewer_client.get(URL)

    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert 'data-key="invoices_sent"' in html
    assert 'role="img"' in html
    assert "Maventa connection" in html
    assert 'href="/portal/attention/"' in html
    assert " style=" not in html.split('id="content-main"')[1]


def test_a_user_without_a_models_view_permission_does_not_see_its_figures():
    user = UserFactory(staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_document", content_type__app_label="exchange")
    )
    client = Client()
    client.force_login(user)

    html = client.get(URL).content.decode()

    assert 'data-key="documents_sent"' in html
    assert 'data-key="invoices_sent"' not in html
    assert 'data-key="invoices_failed"' not in html
    assert 'data-key="webhook_events"' not in html
    assert 'data-key="unread_messages"' not in html


@pytest.mark.parametrize(("raw", "days"), [("7", 7), ("90", 90), ("abc", 30), ("-1", 30), ("", 30)])
def test_the_period_comes_from_days_and_a_bad_value_falls_back(viewer_client, raw, days):
    page = viewer_client.get(URL, {"days": raw})

    assert page.status_code == HTTPStatus.OK
    assert f"Last {days} days" in page.content.decode()


def test_an_empty_series_renders_an_empty_state():
    figure = dashboard.Figure(
        "x", "X", "/", 0, [(timezone.localdate(), {"Delivered": 0, "Failed": 0})]
    )
    assert "chart-empty" in render(figure)
    assert "<svg" not in render(figure)


def test_a_chart_has_bars_with_tooltips_a_legend_and_no_inline_style():
    day = timezone.localdate()
    figure = dashboard.Figure("x", "Sent <x>", "/", 3, [(day, {"Delivered": 2, "Failed": 1})])

    svg = render(figure)

    assert 'role="img"' in svg
    assert 'aria-label="Sent &lt;x&gt; per day: 3 in all"' in svg
    assert f"<title>{day.isoformat()} Delivered: 2</title>" in svg
    assert svg.count('class="chart-s1"') == 2  # a bar and its legend swatch
    assert ">Failed</text>" in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_the_hours_run_on_through_a_change_of_daylight_saving_time(settings):
    settings.TIME_ZONE = "Europe/Helsinki"
    # Clocks went back from 04:00 to 03:00 local time on 2026-10-25 (01:00 UTC).
    until = dt.datetime(2026, 10, 25, 12, 30, tzinfo=dt.UTC)
    WebhookEventFactory(received_at=dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC))
    WebhookEventFactory(received_at=dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC))

    series = dashboard.per_hour(
        WebhookEvent.objects.all(),
        "received_at",
        until=until,
        split="state",
        labels={"All": list(WebhookEvent.State.values)},
    )

    hours = [hour for hour, _counts in series]
    assert len(set(hours)) == dashboard.WEBHOOK_HOURS
    assert all(b - a == dt.timedelta(hours=1) for a, b in zip(hours, hours[1:], strict=False))
    assert dashboard.total(series) == 2


def test_an_hourly_chart_names_the_local_hours(settings):
    settings.TIME_ZONE = "Europe/Helsinki"
    hour = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    figure = dashboard.Figure("x", "Events", "/", 1, [(hour, {"Processed": 1})])

    svg = render(figure)

    assert "<title>2026-11-20 12:00 Processed: 1</title>" in svg
    assert 'aria-label="Events per hour: 1 in all"' in svg
