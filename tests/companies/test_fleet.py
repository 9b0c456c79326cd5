"""The fleet view at /portal/companies/: each company's figures from the other apps (through
their fleet hooks), where each figure links, sorting, filters, search, rows needing attention,
and a query count that does not grow with the rows shown."""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies import listing
from companies.models import NetworkProfile
from tests.factories import (
    CompanyFactory,
    MessageThreadFactory,
    NetworkProfileFactory,
    ReceivablesActivationFactory,
    SentInvoiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("companies:list")
INVOICES = reverse("exchange:list")


def _names(response) -> list[str]:
    return [row.company.name for row in response.context["listing"].rows]


def _row_html(html: str, company) -> str:
    match = re.search(rf'<tr data-company="{company.pk}"[^>]*>.*?</tr>', html, re.S)
    assert match, f"no row for {company}"
    return match.group(0)


def _cells(response, company) -> dict[str, listing.Cell]:
    listing_ = response.context["listing"]
    row = next(r for r in listing_.rows if r.company == company)
    labels = [c.label for c in listing_.columns][len(listing.COLUMNS) :]
    return dict(zip(labels, row.cells, strict=False))


def _ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


@pytest.fixture
def busy():
    """A verified company with invoices both ways, failures, receivables and unread messages."""
    company = CompanyFactory(name="Busy Oy", verified=True)
    NetworkProfileFactory(company=company, network="PEPPOL", status="active")
    SentInvoiceFactory(company=company, sent_at=_ago(days=3))
    SentInvoiceFactory(company=company, sent_at=_ago(hours=1))
    SentInvoiceFactory(company=company, direction="RECEIVED", received_at=_ago(days=2))
    for days in (1, 6):
        SentInvoiceFactory(
            company=company,
            status="FAILED",
            sent_at=_ago(days=days),
            status_changed_at=_ago(days=days),
        )
    # Failed before the window, and a received one: neither counts.
    SentInvoiceFactory(
        company=company, status="FAILED", sent_at=_ago(days=9), status_changed_at=_ago(days=8)
    )
    SentInvoiceFactory(
        company=company, direction="RECEIVED", status="FAILED", received_at=_ago(days=1)
    )
    ReceivablesActivationFactory(company=company, status="ACTIVE")
    MessageThreadFactory(company=company, unread_count=2)
    MessageThreadFactory(company=company, unread_count=1)
    MessageThreadFactory(company=company, unread_count=0)
    return company


@pytest.fixture
def quiet():
    company = CompanyFactory(name="Quiet Oy", verified=True)
    NetworkProfileFactory(company=company, network="VISMA", status="active")
    return company


class TestColumns:
    def test_each_figure_comes_from_its_own_records(self, viewer_client, busy, quiet):
        response = viewer_client.get(URL)

        busy_row = next(r for r in response.context["listing"].rows if r.company == busy)
        assert abs(busy_row.company.last_sent - _ago(hours=1)) < dt.timedelta(minutes=1)
        assert abs(busy_row.company.last_received - _ago(days=1)) < dt.timedelta(minutes=1)
        cells = _cells(response, busy)
        assert cells["Failed (7 days)"].text == "2"
        assert cells["Unread"].text == "3"
        assert cells["Receivables"].text == "Active"
        quiet_cells = _cells(response, quiet)
        assert quiet_cells["Failed (7 days)"].text == quiet_cells["Unread"].text == "0"
        assert quiet_cells["Receivables"].text == "Off"
        assert quiet_cells["Last sent"].text == quiet_cells["Last received"].text == "–"

    def test_each_figure_links_where_it_is_explained(self, viewer_client, busy):
        row = _row_html(viewer_client.get(URL).content.decode(), busy)

        assert f'href="{reverse("companies:detail", args=[busy.pk])}"' in row
        assert f'href="{INVOICES}?company={busy.pk}&amp;status=FAILED">2</a>' in row
        assert f'href="{INVOICES}?company={busy.pk}&amp;direction=SENT"' in row
        assert f'href="{reverse("receivables:inbox")}?company={busy.pk}">3</a>' in row
        assert f'href="{reverse("receivables:activation", args=[busy.pk])}">Active</a>' in row

    def test_a_viewer_without_the_permission_gets_the_figure_without_the_link(self, client, busy):
        from django.contrib.auth.models import Permission

        user = UserFactory(staff=True)
        user.user_permissions.add(
            Permission.objects.get(codename="view_company", content_type__app_label="companies")
        )
        client.force_login(user)

        row = _row_html(client.get(URL).content.decode(), busy)

        assert INVOICES not in row
        assert reverse("receivables:inbox") not in row
        assert ">2</td>" in row

    def test_each_network_shows_its_profile_status(self, viewer_client):
        company = CompanyFactory(name="Profiles Oy")
        NetworkProfileFactory(company=company, network="VISMA", status="active")
        NetworkProfileFactory(company=company, network="PEPPOL", status="failed")
        NetworkProfileFactory(company=company, network="PEPPOL", status="pending")

        row = _row_html(viewer_client.get(URL).content.decode(), company)

        assert "<td>VISMA, PEPPOL (pending)</td>" in row


class TestSorting:
    @pytest.fixture
    def three(self, busy, quiet):
        middle = CompanyFactory(name="Middle Oy", verified=True)
        SentInvoiceFactory(company=middle, sent_at=_ago(days=5))
        SentInvoiceFactory(company=middle, direction="RECEIVED", received_at=_ago(days=10))
        SentInvoiceFactory(company=middle, status="FAILED", status_changed_at=_ago(days=1))
        MessageThreadFactory(company=middle, unread_count=7)

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("-last_sent", ["Busy Oy", "Middle Oy", "Quiet Oy"]),
            ("last_sent", ["Middle Oy", "Busy Oy", "Quiet Oy"]),  # never sent: last either way
            ("-last_received", ["Busy Oy", "Middle Oy", "Quiet Oy"]),
            ("-failures", ["Busy Oy", "Middle Oy", "Quiet Oy"]),
            ("failures", ["Quiet Oy", "Middle Oy", "Busy Oy"]),
            ("-unread", ["Middle Oy", "Busy Oy", "Quiet Oy"]),
        ],
    )
    def test_sorting_by_each_figure(self, viewer_client, three, sort, expected):
        assert _names(viewer_client.get(URL, {"sort": sort})) == expected

    def test_sorting_by_kyc(self, viewer_client):
        CompanyFactory(name="A Oy", company_state="VERIFIED")
        CompanyFactory(name="B Oy", company_state="UNKNOWN")
        CompanyFactory(name="C Oy", company_state="UNVERIFIED")

        assert _names(viewer_client.get(URL, {"sort": "state"})) == ["B Oy", "C Oy", "A Oy"]

    def test_figure_headings_link_to_their_sort_and_keep_the_filters(self, viewer_client, busy):
        html = viewer_client.get(URL, {"unread": "yes", "sort": "-failures"}).content.decode()

        assert 'href="?unread=yes&amp;sort=failures"' in html  # sorted by it now: reverse it
        assert 'href="?unread=yes&amp;sort=unread"' in html
        assert 'href="?unread=yes&amp;sort=last_sent"' in html

    @pytest.mark.parametrize(
        "params",
        [
            {"sort": "receivables"},  # shown, but not sortable
            {"sort": "-profile_failed"},
            {"sort": "--unread"},
            {"sort": "pk; DROP TABLE"},
            {"failures": "maybe", "unread": "0", "receivables": "on"},
            {"page": "-1", "q": "x" * 5000},
        ],
    )
    def test_bad_parameters_are_ignored(self, viewer_client, busy, quiet, params):
        response = viewer_client.get(URL, params)

        assert response.status_code == HTTPStatus.OK
        if "q" not in params:
            assert _names(response) == ["Busy Oy", "Quiet Oy"]


class TestFilters:
    @pytest.fixture
    def fleet(self, busy, quiet):
        pending = CompanyFactory(name="Pending Oy", company_state="UNVERIFIED")
        ReceivablesActivationFactory(company=pending, status="PENDING")

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"failures": "yes"}, ["Busy Oy"]),
            ({"failures": "no"}, ["Pending Oy", "Quiet Oy"]),
            ({"unread": "yes"}, ["Busy Oy"]),
            ({"unread": "no"}, ["Pending Oy", "Quiet Oy"]),
            ({"receivables": "active"}, ["Busy Oy"]),
            ({"receivables": "inactive"}, ["Pending Oy", "Quiet Oy"]),
            ({"state": "UNVERIFIED"}, ["Pending Oy"]),
            ({"network": "VISMA", "profile": "active"}, ["Quiet Oy"]),
            ({"state": "VERIFIED", "failures": "no"}, ["Quiet Oy"]),
        ],
    )
    def test_filters(self, viewer_client, fleet, params, expected):
        response = viewer_client.get(URL, params)

        assert _names(response) == expected

    def test_a_filter_counts_as_filtering_and_the_page_links_keep_it(
        self, viewer_client, monkeypatch
    ):
        monkeypatch.setattr(listing, "PAGE_SIZE", 2)
        for company in CompanyFactory.create_batch(3):
            MessageThreadFactory(company=company, unread_count=1)
        CompanyFactory()

        response = viewer_client.get(URL, {"unread": "yes"})

        html = response.content.decode()
        assert "4 companies, 3 shown by this filter" in html
        assert 'href="?unread=yes&amp;page=2"' in html

    def test_clear_filters_drops_every_filter_but_keeps_the_sort(self, viewer_client, fleet):
        html = viewer_client.get(
            URL, {"unread": "no", "failures": "no", "state": "VERIFIED", "sort": "-unread"}
        ).content.decode()

        assert 'href="?sort=-unread" class="portal-filters__clear"' in html

    @pytest.mark.parametrize(
        "query",
        ["Busy", "busy oy"],
    )
    def test_search_by_name(self, viewer_client, busy, quiet, query):
        assert _names(viewer_client.get(URL, {"q": query})) == ["Busy Oy"]

    def test_search_by_business_id_and_maventa_id(self, viewer_client, busy, quiet):
        assert _names(viewer_client.get(URL, {"q": quiet.bid})) == ["Quiet Oy"]
        assert _names(viewer_client.get(URL, {"q": str(busy.maventa_id)})) == ["Busy Oy"]


class TestAttention:
    def test_only_rows_needing_attention_are_marked_and_say_why(self, viewer_client, busy, quiet):
        unverified = CompanyFactory(name="Unverified Oy", company_state="UNVERIFIED")
        failed = CompanyFactory(name="Failed Profile Oy", verified=True)
        NetworkProfileFactory(company=failed, status="failed")
        slow = CompanyFactory(name="Slow Oy", verified=True)
        profile = NetworkProfileFactory(company=slow, status="pending")
        NetworkProfile.objects.filter(pk=profile.pk).update(status_changed_at=_ago(days=3))
        fresh = CompanyFactory(name="Fresh Oy", verified=True)
        NetworkProfileFactory(company=fresh, status="pending")

        html = viewer_client.get(URL).content.decode()

        expected = {
            busy: "failed sends, unread messages",
            unverified: "not verified",
            failed: "profile failed",
            slow: "profile pending long",
        }
        for company, why in expected.items():
            row = _row_html(html, company)
            assert "fleet-row--attention" in row, company
            assert f"Needs attention: {why}</span>" in row, company
        for company in (quiet, fresh):
            row = _row_html(html, company)
            assert "fleet-row--attention" not in row, company
            assert "Needs attention" not in row, company

    def test_the_colour_comes_from_a_stylesheet_not_a_style_attribute(self, viewer_client, busy):
        html = viewer_client.get(URL).content.decode()

        assert "/static/portal/fleet.css" in html
        assert "style=" not in html.split('id="companies"')[1]


class TestUnchanged:
    def test_operators_keep_the_buttons_and_viewers_do_not_get_them(
        self, viewer_client, operator_client
    ):
        assert "Create on Maventa" in operator_client.get(URL).content.decode()
        assert "Create on Maventa" not in viewer_client.get(URL).content.decode()


def _fleet(count: int) -> None:
    for company in CompanyFactory.create_batch(count):
        NetworkProfileFactory(company=company, network="VISMA", status="active")
        NetworkProfileFactory(company=company, network="PEPPOL", status="pending")
        SentInvoiceFactory(company=company, sent_at=_ago(days=1))
        SentInvoiceFactory(company=company, status="FAILED", status_changed_at=_ago(days=1))
        SentInvoiceFactory(company=company, direction="RECEIVED", received_at=_ago(days=1))
        MessageThreadFactory(company=company, unread_count=1)
        ReceivablesActivationFactory(company=company)


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "-failures", "unread": "yes", "receivables": "active", "q": "Company"}],
)
def test_the_fleet_costs_the_same_queries_for_10_and_100_companies(
    viewer_client, django_assert_num_queries, monkeypatch, params
):
    monkeypatch.setattr(listing, "PAGE_SIZE", 200)
    _fleet(10)
    viewer_client.get(URL, params)  # the session and anything cached on first use
    with CaptureQueriesContext(connection) as ten:
        small = viewer_client.get(URL, params)
    _fleet(90)

    with django_assert_num_queries(len(ten)):
        large = viewer_client.get(URL, params)

    assert (len(_names(small)), len(_names(large))) == (10, 100)


class TestInvoiceListCompanyFilter:
    def test_keeps_that_companys_invoices(self, viewer_client, busy, quiet):
        SentInvoiceFactory(company=quiet, number="QUIET-1")

        response = viewer_client.get(INVOICES, {"company": busy.pk, "status": "FAILED"})

        companies = {invoice.company_id for invoice in response.context["page"]}
        assert companies == {busy.pk}
        assert response.context["page"].paginator.count == 4

    @pytest.mark.parametrize("value", ["x", "-1", "1.5", "", "9" * 40, "１"])
    def test_a_bad_company_value_is_ignored(self, viewer_client, busy, quiet, value):
        SentInvoiceFactory(company=quiet)

        response = viewer_client.get(INVOICES, {"company": value})

        assert response.status_code == HTTPStatus.OK
        assert response.context["page"].paginator.count == 8
