"""Registering a company for Direct Print from its staff page, against the sandbox."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from exchange.models import PrintAccount
from exchange.services import printing
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api import payslip
from maventa_portal.maventa_api.errors import NotFound

PW_GIVEN, PW_AUDIT, PW_HIDDEN = "Pw-given-42", "Pw-audit-77", "Pw-hidden-5"


def _register(client, company, **fields):
    data = {"scheme": "company", "contact_email": "print@example.com", **fields}
    return client.post(reverse("exchange:print_register", args=[company.pk]), data)


def test_registers_with_the_company_account_and_its_stored_key(
    operator_client, make_company, sandbox
):
    company = make_company()

    response = _register(operator_client, company)

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    account = PrintAccount.objects.get(company=company)
    assert account.scheme == PrintAccount.Scheme.COMPANY
    assert account.state == PrintAccount.State.REGISTERED
    assert account.encrypted_secret == ""  # the company's own key is used, not copied
    assert account.registered_by.username == "olga-operator"
    assert sandbox.requests_to("POST /payslip/register") == 1


def test_registers_a_direct_print_account_and_keeps_the_password_maventa_made(
    operator_client, make_company, sandbox
):
    company = make_company()

    _register(operator_client, company, scheme="account", username="printer-one")

    account = PrintAccount.objects.get(company=company)
    assert account.scheme == PrintAccount.Scheme.ACCOUNT
    assert account.username == "printer-one"
    assert account.get_secret() not in account.encrypted_secret
    # Maventa knows the account by the kept password: an unknown file, not wrong credentials.
    with pytest.raises(NotFound):
        payslip.file_status(printing.print_api(account), filename="never-sent.zip")


def test_registers_a_direct_print_account_with_the_password_given(
    operator_client, make_company, sandbox
):
    company = make_company()

    _register(operator_client, company, scheme="account", username="printer-two", password=PW_GIVEN)

    account = PrintAccount.objects.get(company=company)
    assert account.username == "printer-two"
    assert account.get_secret() == PW_GIVEN


def test_a_wrong_api_key_is_refused_and_nothing_is_kept(operator_client, make_company, sandbox):
    company = make_company()

    response = _register(operator_client, company, user_api_key="not-the-key")

    assert response.status_code == HTTPStatus.OK
    assert "Maventa did not accept" in response.content.decode()
    assert not PrintAccount.objects.filter(company=company).exists()
    entry = AuditEntry.objects.get(event="print.register")
    assert entry.outcome != AuditEntry.Outcome.DONE


def test_registration_is_audited_without_any_secret(operator_client, make_company, sandbox):
    company = make_company()

    _register(operator_client, company, scheme="account", username="printer-3", password=PW_AUDIT)

    entry = AuditEntry.objects.get(event="print.register")
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.company_id == company.pk
    assert entry.asked["scheme"] == "account"
    assert PW_AUDIT not in str(entry.asked) + entry.reason + entry.object_repr


def test_the_page_never_shows_a_secret_again(operator_client, make_company, sandbox):
    company = make_company()
    _register(operator_client, company, scheme="account", username="printer-4", password=PW_HIDDEN)

    page = operator_client.get(reverse("exchange:print_register", args=[company.pk]))
    refused = _register(operator_client, company, user_api_key="Wrong-key-secret-9")

    assert PW_HIDDEN not in page.content.decode()
    assert "stored encrypted (not shown)" in page.content.decode()
    assert "Wrong-key-secret-9" not in refused.content.decode()


@pytest.mark.django_db
def test_a_viewer_cannot_register(viewer_client):
    from tests.factories import CompanyFactory

    company = CompanyFactory()

    response = viewer_client.post(
        reverse("exchange:print_register", args=[company.pk]),
        {"scheme": "company", "contact_email": "x@example.com"},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not PrintAccount.objects.exists()


def test_the_company_page_links_to_direct_print(operator_client, viewer_client, make_company):
    company = make_company()
    url = reverse("companies:detail", args=[company.pk])

    operator_page = operator_client.get(url).content.decode()
    viewer_page = viewer_client.get(url).content.decode()

    assert reverse("exchange:print_register", args=[company.pk]) in operator_page
    assert f"{reverse('exchange:print_send')}?company={company.pk}" in operator_page
    assert f"{reverse('exchange:print_list')}?company={company.pk}" in viewer_page
    assert reverse("exchange:print_register", args=[company.pk]) not in viewer_page
