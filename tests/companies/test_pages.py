"""Staff pages and admin of companies: KYC guidance, registration form, no secrets shown."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.urls import reverse

from companies.access import CompanyNotReady, ensure_can_exchange
from companies.models import Company
from tests.factories import CompanyFactory, UserFactory


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def _html_of_every_company_page(staff_client, company) -> str:
    urls = [
        reverse("companies:list"),
        reverse("companies:detail", args=[company.pk]),
        reverse("admin:companies_company_changelist"),
        reverse("admin:companies_company_change", args=[company.pk]),
    ]
    pages = [staff_client.get(url) for url in urls]
    assert [p.status_code for p in pages] == [HTTPStatus.OK] * len(urls)
    return "".join(p.content.decode() for p in pages)


def test_api_key_never_appears_in_portal_or_admin_pages_or_logs(staff_client, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    account = sandbox.create_company(name="Salainen Oy", bid="0112038-9", country="FI")
    response = staff_client.post(
        reverse("companies:link"),
        {"maventa_id": account["company_id"], "api_key": account["api_key"]},
    )
    assert response.status_code == HTTPStatus.FOUND
    company = Company.objects.get()

    html = _html_of_every_company_page(staff_client, company)

    assert account["api_key"] not in html
    assert company.credential.encrypted_api_key not in html
    assert "set " in html
    assert "replace" in html.lower()
    assert account["api_key"] not in caplog.text


def test_wrong_key_on_the_link_form_shows_the_reason_not_the_key(staff_client, sandbox):
    account = sandbox.create_company(name="Salainen Oy", bid="0112038-9", country="FI")

    response = staff_client.post(
        reverse("companies:link"), {"maventa_id": account["company_id"], "api_key": "typo-key-123"}
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "did not accept this company id and API key" in html
    assert "typo-key-123" not in html


def test_unverified_company_page_says_what_to_do_next(staff_client, make_company):
    company = make_company(company_state="UNVERIFIED")

    html = staff_client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert "Verification (KYC): Unverified" in html
    assert "before it can send or receive" in html
    assert "0216 (FI:OVT2)" in html


@pytest.mark.django_db
def test_sending_is_refused_while_unverified_before_any_call():
    company = CompanyFactory(company_state="UNVERIFIED")

    with pytest.raises(CompanyNotReady) as caught:
        ensure_can_exchange(company)

    assert "has not completed Maventa's customer verification" in caught.value.staff_message


def test_norwegian_company_page_preselects_ehf30(staff_client, make_company):
    company = make_company(country="NO")

    response = staff_client.get(reverse("companies:detail", args=[company.pk]))

    form = response.context["form"]
    assert form["profile_version"].value() == "EHF30"


def test_peppol_without_visma_is_refused_with_an_offer_and_no_call(
    staff_client, make_company, sandbox
):
    company = make_company()
    sandbox.reset()

    response = staff_client.post(
        reverse("companies:register", args=[company.pk]),
        {
            "network": "PEPPOL",
            "profiles": ["INVOICE_AND_CREDIT_NOTE"],
            "profile_version": "PEPPOLBIS30",
        },
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "VISMA invoice receiving must be registered before PEPPOL" in html
    assert 'class="form-row offer"' in html
    assert sandbox.stats()["requests"] == {}


def test_admin_action_leads_through_the_form_to_a_progress_page(staff_client, sandbox, sync_tasks):
    companies = CompanyFactory.create_batch(3)
    changelist = reverse("admin:companies_company_changelist")

    response = staff_client.post(
        changelist,
        {"action": "register_network_profiles", "_selected_action": [c.pk for c in companies]},
    )
    assert response.status_code == HTTPStatus.FOUND
    form_page = staff_client.get(response.url)
    assert "Register network profiles" in form_page.content.decode()
    assert "0216 (FI:OVT2)" in form_page.content.decode()

    response = staff_client.post(
        form_page.request["PATH_INFO"],
        {"network": "PEPPOL", "profiles": ["INVOICE_AND_CREDIT_NOTE"], "profile_version": ""},
    )

    assert response.status_code == HTTPStatus.FOUND
    progress = staff_client.get(response.url)
    html = progress.content.decode()
    # No stored keys and no VISMA: each company ends failed with its reason, none is lost.
    assert '<span data-count="failed">3</span>' in html
    assert html.count("VISMA invoice receiving must be registered before PEPPOL") == 3
    assert html.count("Retry with “Register VISMA invoice receiving first” ticked") == 3


def test_admin_company_list_offers_onboarding(staff_client, sandbox):
    html = staff_client.get(reverse("admin:companies_company_changelist")).content.decode()

    for url in ("companies:create", "companies:link", "companies:import"):
        assert f'href="{reverse(url)}"' in html


CREATE_FORM = {
    "name": "Lomake Oy",
    "country": "FI",
    "email": "l@example.com",
    "address1": "Katu 1",
    "post_code": "00100",
    "post_office": "Helsinki",
    "city": "Helsinki",
}


def test_create_form_creates_the_company_and_opens_its_page(staff_client, sandbox):
    response = staff_client.post(
        reverse("companies:create"),
        {**CREATE_FORM, "bid": "12345671"},
    )

    company = Company.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("companies:detail", args=[company.pk])
    assert company.bid == "1234567-1"


def test_create_form_with_a_bad_business_id_says_why_and_keeps_the_input(staff_client, sandbox):
    response = staff_client.post(
        reverse("companies:create"),
        {**CREATE_FORM, "bid": "1234567-2"},
    )

    html = response.content.decode()
    assert "fails its check digit" in html
    assert 'value="Lomake Oy"' in html
    assert sandbox.stats()["requests"] == {}


def test_csv_import_leads_to_its_run_with_refused_rows_first_and_a_result_file(
    staff_client, sandbox, sync_tasks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (
        "name,bid,country,email,address1,post_code,post_office,city\n"
        "Hyvä Oy,1234567-1,FI,h@example.com,Katu 1,00100,Helsinki,Helsinki\n"
        "Huono Oy,1234567-2,FI,h@example.com,Katu 1,00100,Helsinki,Helsinki\n"
        "=Kaava Oy,0112038-9,FI,k@example.com,Katu 1,00100,Helsinki,Helsinki\n"
    ).encode()

    response = staff_client.post(
        reverse("companies:import"),
        {"file": SimpleUploadedFile("companies.csv", data)},
        follow=True,
    )

    html = response.content.decode()
    assert "Importing companies from companies.csv" in html
    assert '<span data-count="done">1</span>' in html
    assert '<span data-count="failed">2</span>' in html
    rows = html.split('id="bulk-items"')[1]
    assert rows.index("fails its check digit") < rows.index("Created as")
    result = staff_client.get(reverse("runs:result_csv", args=[response.context["run"].pk]))
    lines = result.content.decode().splitlines()
    assert lines[0] == "line,name,business id,country,result,details,portal page"
    assert lines[1].startswith("2,Hyvä Oy,1234567-1,FI,created,Created as ")
    assert lines[2].startswith("3,Huono Oy,1234567-2,FI,refused,")
    # A refused formula comes back as text, never as a formula a spreadsheet would run.
    assert lines[3].startswith("4,'=Kaava Oy,0112038-9,FI,refused,")


def test_staff_send_the_verification_request_from_the_company_page(staff_client, make_company):
    company = make_company(company_state="UNVERIFIED")
    page = staff_client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert "Send verification request" in page

    response = staff_client.post(
        reverse("companies:request_verification", args=[company.pk]),
        {"auth_email": "signer@example.com", "locale": "FI"},
        follow=True,
    )

    company.refresh_from_db()
    assert company.auth_state == Company.AuthState.SENT
    assert "sending the verification request to signer@example.com" in response.content.decode()
