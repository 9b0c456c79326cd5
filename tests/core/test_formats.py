"""One way of writing a moment, in local time, everywhere; lists as text, never as JSON."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from maventa_portal.core.times import local_text
from tests.factories import CompanyFactory, NetworkProfileFactory, UserFactory

# 20:24 UTC is 22:24 in Helsinki in November (UTC+2), 15:00 in July (UTC+3).
NOVEMBER = dt.datetime(2026, 11, 25, 20, 24, 50, tzinfo=dt.UTC)


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_settings_keep_helsinki_as_the_local_time(settings):
    assert settings.TIME_ZONE == "Europe/Helsinki"


def test_a_datetime_in_a_template_is_written_in_local_time_without_am_pm():
    assert _render("{{ moment }}", moment=NOVEMBER) == "25 Nov 2026 22:24"


def test_a_date_filter_without_a_format_writes_the_date_only():
    assert _render("{{ moment|date }}", moment=NOVEMBER) == "25 Nov 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T20:24:50Z", "25 Nov 2026 22:24"),
        ("2026-11-25T22:24:50+02:00", "25 Nov 2026 22:24"),
        ("2026-07-01T12:00:00Z", "1 Jul 2026 15:00"),
        ("2026-11-25T20:24:50", "25 Nov 2026 22:24"),  # no offset: Maventa's UTC
        (NOVEMBER, "25 Nov 2026 22:24"),
        (dt.date(2026, 11, 25), "25 Nov 2026"),
        ("2026-11-25", "25 Nov 2026"),
        ("not a date", "not a date"),
        ("2026-02-30T10:00:00Z", "2026-02-30T10:00:00Z"),
        (None, ""),
        ("", ""),
    ],
)
def test_localtime_text_writes_datetimes_and_iso_text_in_the_one_format(value, expected):
    assert local_text(value) == expected


def test_localtime_text_is_a_template_filter():
    rendered = _render(
        '{% load portal_time %}{{ expires|localtime_text|default:"unknown" }}|'
        '{{ missing|localtime_text|default:"unknown" }}',
        expires="2026-11-25T20:24:50Z",
    )

    assert rendered == "25 Nov 2026 22:24|unknown"


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.mark.django_db
def test_company_page_writes_state_change_time_in_one_sentence(superuser_client):
    company = CompanyFactory(state_changed_at=NOVEMBER)
    company.state_checked_at = timezone.now()
    company.save()

    html = superuser_client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert "25 Nov 2026 22:24</time>; last checked" in html
    assert "p.m." not in html
    assert "..</p>" not in html


@pytest.mark.django_db
def test_admin_writes_the_same_format(superuser_client):
    company = CompanyFactory(state_changed_at=NOVEMBER)

    url = reverse("admin:companies_company_change", args=[company.pk])
    html = superuser_client.get(url).content.decode()

    assert "25 Nov 2026 22:24" in html


RAW_LIST = ('["INVOICE_AND_CREDIT_NOTE"', "[&quot;INVOICE_AND_CREDIT_NOTE&quot;")


@pytest.fixture
def profile(db):
    return NetworkProfileFactory(
        profiles=["INVOICE_AND_CREDIT_NOTE", "ORDER"], extensions=["SELFBILLING"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "admin:companies_company_change",
        "admin:companies_networkprofile_change",
        "admin:companies_networkprofile_changelist",
    ],
)
def test_admin_shows_profile_lists_as_text_never_as_json(superuser_client, profile, page):
    if page.endswith("changelist"):
        url = reverse(page)
    elif "company_" in page:
        url = reverse(page, args=[profile.company.pk])
    else:
        url = reverse(page, args=[profile.pk])

    response = superuser_client.get(url)

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "INVOICE_AND_CREDIT_NOTE, ORDER" in html
    assert not any(raw in html for raw in RAW_LIST)


@pytest.mark.django_db
def test_admin_profile_page_offers_no_json_box_to_edit(superuser_client, profile):
    url = reverse("admin:companies_networkprofile_change", args=[profile.pk])

    html = superuser_client.get(url).content.decode()

    assert 'name="profiles"' not in html
    assert "SELFBILLING" in html
