"""A GET of a URL that only takes a form's POST leads to the page the form is on.

After a form error the address bar holds the POST-only URL; a reload must not end on the
browser's blank 405 page, and the redirect must not open a page the user may not see.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from companies.models import UnsavedCompany
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY_FORMS = ["companies:register", "companies:replace_key", "companies:refresh"]
COMPANY_FORMS += ["companies:request_verification"]


@pytest.fixture
def pending():
    return UnsavedCompany.objects.create(
        name="Kept Oy", bid="2660421-6", country="FI", reason="test", encrypted_api_key="x"
    )


@pytest.mark.parametrize("name", COMPANY_FORMS)
@pytest.mark.parametrize("method", ["get", "head"])
def test_get_of_a_company_form_url_leads_to_the_company_page(viewer_client, name, method):
    company = CompanyFactory()

    response = getattr(viewer_client, method)(reverse(name, args=[company.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("companies:detail", args=[company.pk])


def test_get_of_save_kept_company_leads_to_the_companies_list_and_saves_nothing(
    viewer_client, pending
):
    response = viewer_client.get(reverse("companies:unsaved_save", args=[pending.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("companies:list")
    pending.refresh_from_db()
    assert pending.resolved_at is None


def test_the_redirect_lands_on_a_page_that_answers(viewer_client):
    company = CompanyFactory()

    response = viewer_client.get(reverse("companies:refresh", args=[company.pk]), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert company.name in response.content.decode()


@pytest.mark.parametrize("name", [*COMPANY_FORMS, "companies:unsaved_save"])
def test_get_needs_the_permission_of_the_page_it_leads_to(client, name, pending):
    client.force_login(UserFactory(staff=True))  # staff, but no role
    pk = pending.pk if name == "companies:unsaved_save" else CompanyFactory().pk

    response = client.get(reverse(name, args=[pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "companies.view_company" in response.content.decode()


def test_post_by_a_viewer_is_still_refused(viewer_client):
    company = CompanyFactory()

    response = viewer_client.post(reverse("companies:refresh", args=[company.pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_other_methods_are_not_allowed_and_the_answer_names_the_allowed_ones(operator_client):
    company = CompanyFactory()

    response = operator_client.put(reverse("companies:refresh", args=[company.pk]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Allow"] == "GET, HEAD, POST"
