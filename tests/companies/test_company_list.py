"""The companies list at fleet size: pages, counts, filters, sorting, search, query count."""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies import listing
from companies.models import Company
from tests.factories import CompanyFactory, NetworkProfileFactory

pytestmark = pytest.mark.django_db

URL = reverse("companies:list")


def _names(response) -> list[str]:
    return [row.company.name for row in response.context["listing"].rows]


def _counts(response) -> str:
    html = response.content.decode()
    match = re.search(r'id="company-counts">\s*(.*?)\s*</p>', html, re.S)
    return match.group(1)


class TestPagesAndCounts:
    def test_a_page_holds_fifty_companies_and_the_last_one_the_rest(self, viewer_client):
        CompanyFactory.create_batch(120)

        first = viewer_client.get(URL)
        last = viewer_client.get(URL, {"page": 3})

        assert first.status_code == HTTPStatus.OK
        assert len(_names(first)) == listing.PAGE_SIZE == 50
        assert len(_names(last)) == 20
        assert set(_names(first)).isdisjoint(_names(last))

    def test_counts_name_the_whole_fleet_and_what_the_filter_shows(self, viewer_client):
        CompanyFactory.create_batch(3, country="FI")
        CompanyFactory.create_batch(2, country="SE")

        unfiltered = viewer_client.get(URL)
        filtered = viewer_client.get(URL, {"country": "SE"})

        assert _counts(unfiltered) == "5 companies."
        assert _counts(filtered) == "5 companies, 2 shown by this filter."

    def test_counts_are_written_with_thousands_separators(self, viewer_client):
        Company.objects.bulk_create(
            Company(name=f"Fleet {n} Oy", bid=f"{n:08d}", country="DE") for n in range(1014)
        )

        response = viewer_client.get(URL, {"q": "Fleet 1"})

        # Fleet 1, 10-19, 100-199, 1000-1013: 1 + 10 + 100 + 14.
        assert _counts(response).startswith("1,014 companies, 125 shown by this filter")

    def test_page_links_keep_the_filters(self, viewer_client):
        CompanyFactory.create_batch(60, country="FI")

        html = viewer_client.get(URL, {"country": "FI", "sort": "-bid"}).content.decode()

        assert 'href="?country=FI&amp;sort=-bid&amp;page=2"' in html

    def test_a_page_number_past_the_end_or_not_a_number_still_shows_a_page(self, viewer_client):
        CompanyFactory.create_batch(60)

        past = viewer_client.get(URL, {"page": 99})
        garbage = viewer_client.get(URL, {"page": "x"})

        assert past.status_code == garbage.status_code == HTTPStatus.OK
        assert past.context["listing"].page.number == 2
        assert garbage.context["listing"].page.number == 1

    def test_unknown_filter_values_are_ignored_not_refused(self, viewer_client):
        CompanyFactory.create_batch(2)

        response = viewer_client.get(
            URL, {"country": "XX", "state": "GONE", "profile": "zzz", "sort": "password"}
        )

        assert response.status_code == HTTPStatus.OK
        assert len(_names(response)) == 2


class TestFilters:
    def test_country_filter_keeps_that_country_only(self, viewer_client):
        CompanyFactory(name="Suomi Oy", country="FI")
        CompanyFactory(name="Sverige AB", country="SE")

        assert _names(viewer_client.get(URL, {"country": "SE"})) == ["Sverige AB"]

    def test_kyc_state_filter_keeps_that_state_only(self, viewer_client):
        CompanyFactory(name="Verified Oy", verified=True)
        CompanyFactory(name="Waiting Oy", company_state="UNVERIFIED")

        assert _names(viewer_client.get(URL, {"state": "VERIFIED"})) == ["Verified Oy"]

    @pytest.fixture
    def peppol_fleet(self):
        active = CompanyFactory(name="Active Oy")
        NetworkProfileFactory(company=active, network="PEPPOL", status="active")
        pending = CompanyFactory(name="Pending Oy")
        NetworkProfileFactory(company=pending, network="PEPPOL", status="pending")
        failed = CompanyFactory(name="Failed Oy")
        NetworkProfileFactory(company=failed, network="PEPPOL", status="failed")
        visma = CompanyFactory(name="Visma Only Oy")
        NetworkProfileFactory(company=visma, network="VISMA", status="active")
        CompanyFactory(name="Bare Oy")

    @pytest.mark.parametrize(
        ("profile", "expected"),
        [
            ("active", ["Active Oy"]),
            ("pending", ["Pending Oy"]),
            ("failed", ["Failed Oy"]),
            ("live", ["Active Oy", "Pending Oy"]),
            ("", ["Active Oy", "Pending Oy"]),
            ("none", ["Bare Oy", "Failed Oy", "Visma Only Oy"]),
        ],
    )
    def test_network_and_profile_status_filter(
        self, viewer_client, peppol_fleet, profile, expected
    ):
        response = viewer_client.get(URL, {"network": "PEPPOL", "profile": profile})

        assert _names(response) == expected

    def test_profile_status_without_a_network_looks_at_every_network(
        self, viewer_client, peppol_fleet
    ):
        assert _names(viewer_client.get(URL, {"profile": "active"})) == [
            "Active Oy",
            "Visma Only Oy",
        ]
        assert _names(viewer_client.get(URL, {"profile": "none"})) == ["Bare Oy", "Failed Oy"]

    def test_filters_combine(self, viewer_client):
        match = CompanyFactory(name="Match AB", country="SE", verified=True)
        NetworkProfileFactory(company=match, network="PEPPOL")
        CompanyFactory(name="Wrong State AB", country="SE", company_state="UNKNOWN")
        NetworkProfileFactory(company=CompanyFactory(name="Wrong Country Oy", verified=True))

        response = viewer_client.get(
            URL, {"country": "SE", "state": "VERIFIED", "network": "PEPPOL", "profile": "active"}
        )

        assert _names(response) == ["Match AB"]


class TestSorting:
    def test_default_order_is_by_name_ignoring_case(self, viewer_client):
        for name in ("beta Oy", "Alpha Oy", "Gamma Oy"):
            CompanyFactory(name=name)

        assert _names(viewer_client.get(URL)) == ["Alpha Oy", "beta Oy", "Gamma Oy"]

    def test_a_minus_reverses_the_order(self, viewer_client):
        for name in ("beta Oy", "Alpha Oy", "Gamma Oy"):
            CompanyFactory(name=name)

        assert _names(viewer_client.get(URL, {"sort": "-name"})) == [
            "Gamma Oy",
            "beta Oy",
            "Alpha Oy",
        ]

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("bid", ["B", "C", "A"]),
            ("-bid", ["A", "C", "B"]),
            ("country", ["C", "A", "B"]),
            ("state", ["A", "B", "C"]),
            ("-created", ["B", "A", "C"]),
        ],
    )
    def test_sorting_by_each_column(self, viewer_client, sort, expected):
        now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
        for name, bid, country, state, age in (
            ("A", "9000000-1", "NO", "UNKNOWN", 2),
            ("B", "1000000-1", "SE", "UNVERIFIED", 1),
            ("C", "5000000-1", "FI", "VERIFIED", 3),
        ):
            company = CompanyFactory(name=name, bid=bid, country=country, company_state=state)
            Company.objects.filter(pk=company.pk).update(created_at=now - dt.timedelta(days=age))

        assert _names(viewer_client.get(URL, {"sort": sort})) == expected

    def test_equal_values_keep_a_stable_order_by_creation(self, viewer_client):
        first, second, third = (CompanyFactory(name=f"Twin {n}", country="FI") for n in range(3))

        ascending = viewer_client.get(URL, {"sort": "country"}).context["listing"].rows
        descending = viewer_client.get(URL, {"sort": "-country"}).context["listing"].rows

        assert [row.company for row in ascending] == [first, second, third]
        assert [row.company for row in descending] == [third, second, first]

    def test_headings_link_to_their_sort_and_keep_the_filters_but_not_the_page(self, viewer_client):
        html = viewer_client.get(URL, {"country": "FI", "page": 2}).content.decode()

        assert 'href="?country=FI&amp;sort=-name"' in html  # sorted by name now: reverse it
        assert 'href="?country=FI&amp;sort=bid"' in html
        assert 'aria-sort="ascending"' in html

    def test_an_unknown_sort_key_sorts_by_name(self, viewer_client):
        for name in ("B Oy", "A Oy"):
            CompanyFactory(name=name)

        assert _names(viewer_client.get(URL, {"sort": "encrypted_api_key"})) == ["A Oy", "B Oy"]


class TestSearch:
    @pytest.fixture
    def nordics(self):
        CompanyFactory(name="Suomi Oy", country="FI", bid="2660421-6")
        CompanyFactory(name="Norge AS", country="NO", bid="923609016")
        CompanyFactory(name="Sverige AB", country="SE", bid="556036-0793")
        CompanyFactory(name="Danmark ApS", country="DK", bid="12345678")

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("2660421-6", "Suomi Oy"),
            ("26604216", "Suomi Oy"),
            ("FI26604216", "Suomi Oy"),
            ("923 609 016", "Norge AS"),
            ("923609016", "Norge AS"),
            ("NO923609016", "Norge AS"),
            ("5560360793", "Sverige AB"),
            ("556036-0793", "Sverige AB"),
            ("DK 12 34 56 78", "Danmark ApS"),
            ("0421-6", "Suomi Oy"),
            ("sverige", "Sverige AB"),
        ],
    )
    def test_business_id_with_or_without_separators_finds_the_company(
        self, viewer_client, nordics, query, expected
    ):
        assert _names(viewer_client.get(URL, {"q": query})) == [expected]

    def test_maventa_id_finds_the_company(self, viewer_client):
        company = CompanyFactory(name="Found Oy")
        CompanyFactory(name="Other Oy")

        assert _names(viewer_client.get(URL, {"q": str(company.maventa_id)})) == ["Found Oy"]

    def test_no_match_says_so(self, viewer_client):
        CompanyFactory()

        html = viewer_client.get(URL, {"q": "nobody"}).content.decode()

        assert "No companies match this filter." in html


def test_each_row_shows_each_networks_profile_status_as_text(viewer_client):
    company = CompanyFactory(name="Networked Oy", bid="2660421-6", country="FI")
    NetworkProfileFactory(company=company, network="PEPPOL", status="pending")
    NetworkProfileFactory(company=company, network="VISMA", status="active")
    NetworkProfileFactory(company=company, network="BANK", status="failed")
    NetworkProfileFactory(company=company, network="SCAN", status="disabled")

    html = viewer_client.get(URL).content.decode()

    assert "<td>VISMA, PEPPOL (pending), BANK (failed)</td>" in html
    assert "SCAN" not in html.split('id="companies"')[1]
    assert reverse("companies:detail", args=[company.pk]) in html
    assert str(company.maventa_id) in html
    assert "2660421-6" in html


def test_a_network_with_an_active_and_a_pending_profile_reads_as_active():
    profiles = [
        NetworkProfileFactory.build(network="PEPPOL", status="pending"),
        NetworkProfileFactory.build(network="PEPPOL", status="active"),
    ]

    assert listing.live_networks(profiles) == "PEPPOL"


def _fleet(count: int) -> None:
    for company in CompanyFactory.create_batch(count):
        NetworkProfileFactory(company=company, network="VISMA", status="active")
        NetworkProfileFactory(company=company, network="PEPPOL", status="pending")


@pytest.mark.parametrize("params", [{}, {"q": "Company", "network": "PEPPOL", "sort": "-bid"}])
def test_the_list_costs_the_same_queries_for_10_and_100_rows(
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
