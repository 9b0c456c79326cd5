"""The one progress page of every bulk run: who sees what, and a constant cost per poll."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maventa_portal.core.bulk.runs import ItemSpec, start_run
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

KIND = "companies.register_profiles"
OPTIONS = {
    "network": "VISMA",
    "profiles": ["INVOICE_AND_CREDIT_NOTE"],
    "profile_version": "",
    "include_visma": False,
    "extensions": [],
}


def _run(size: int):
    companies = CompanyFactory.create_batch(size)
    return start_run(
        kind=KIND,
        options=OPTIONS,
        items=[ItemSpec(object_id=c.pk, label=str(c)) for c in companies],
        actor=None,
    )


def test_viewer_follows_a_run_but_gets_no_retry_forms(viewer_client):
    run = _run(3)

    page = viewer_client.get(reverse("runs:progress", args=[run.pk]))

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Registering VISMA profiles (INVOICE_AND_CREDIT_NOTE)" in html
    assert 'id="retry-form"' not in html
    assert html.count('href="/portal/companies/') == 3


def test_operator_gets_the_retry_forms_with_the_run_options(operator_client):
    run = _run(1)

    html = operator_client.get(reverse("runs:progress", args=[run.pk])).content.decode()

    assert 'id="retry-form"' in html
    assert "New run from failed" in html
    assert 'name="options-include_visma"' in html


def _json_queries(client, run) -> int:
    url = reverse("runs:progress_json", args=[run.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_progress_json_costs_the_same_for_10_and_100_items(operator_client):
    small, large = _run(10), _run(100)

    assert _json_queries(operator_client, small) == _json_queries(operator_client, large)


def test_progress_page_costs_the_same_for_10_and_100_items(operator_client):
    small, large = _run(10), _run(100)

    def page_queries(run):
        with CaptureQueriesContext(connection) as queries:
            operator_client.get(reverse("runs:progress", args=[run.pk]))
        return len(queries)

    assert page_queries(small) == page_queries(large)


def test_a_run_of_an_unknown_page_number_shows_the_last_page(operator_client):
    run = _run(2)

    response = operator_client.get(reverse("runs:progress", args=[run.pk]), {"page": "999"})

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("name", ["runs:retry", "runs:new_from_failed"])
def test_a_get_of_a_retry_address_leads_to_the_run_page(viewer_client, name):
    run = _run(1)

    response = viewer_client.get(reverse(name, args=[run.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("runs:progress", args=[run.pk])
