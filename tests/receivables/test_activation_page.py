"""Switching receivables on from the company's receivables page, against the sandbox."""

from __future__ import annotations

from django.urls import reverse

from maventa_portal.core.models import AuditEntry
from receivables.models import ReceivablesActivation

FORM = {
    "iban": "FI21 1234 5600 0007 85",
    "bic": "nordfihh",
    "bank": "Nordea",
    "contact_person": "Maija Meikäläinen",
    "contact_email": "maija@example.com",
    "contact_phone_number": "+358401234567",
    "customer_service_email": "asiakaspalvelu@example.com",
    "authorization_email": "ceo@example.com",
    "accountable_party": "vfsfi",
    "billing_streets": "Testikatu 1\nB 2",
    "billing_zip_code": "00100",
    "billing_city": "Helsinki",
    "billing_country": "FI",
}


def test_switched_on_it_shows_the_collection_account_to_copy(
    sandbox, make_company, operator_client, operator
):
    company = make_company()
    url = reverse("receivables:activation", args=[company.pk])

    response = operator_client.post(url, FORM)

    assert response.status_code == 302
    state = ReceivablesActivation.objects.get(company=company)
    assert state.status == "ACTIVE"
    assert state.vfsfi_iban
    page = operator_client.get(url).content.decode()
    assert state.vfsfi_iban in page
    assert AuditEntry.objects.get(event="receivables.activate").actor == operator


def test_a_bad_iban_is_refused_before_any_call(sandbox, make_company, operator_client):
    company = make_company()
    before = sandbox.stats()["requests"]

    response = operator_client.post(
        reverse("receivables:activation", args=[company.pk]),
        {**FORM, "iban": "FI22 1234 5600 0007 85"},
    )

    assert "This IBAN is not valid" in response.content.decode()
    assert sandbox.stats()["requests"] == before
    assert not ReceivablesActivation.objects.exists()


def test_switching_off_is_audited_and_viewers_may_do_neither(
    sandbox, make_company, operator_client, viewer_client
):
    company = make_company()
    url = reverse("receivables:activation", args=[company.pk])
    operator_client.post(url, FORM)

    assert viewer_client.post(url, FORM).status_code == 403
    off = reverse("receivables:activation_disable", args=[company.pk])
    assert viewer_client.post(off).status_code == 403
    operator_client.post(off)

    assert ReceivablesActivation.objects.get(company=company).status != "ACTIVE"
    assert AuditEntry.objects.filter(event="receivables.deactivate", outcome="done").exists()
