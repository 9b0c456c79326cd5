"""The KYC sign request with the partner's own KYC proof (`options`, FIELDS.md section 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from companies import services
from companies.forms import KYC_PROOF_NOT_JSON, VerificationRequestForm
from companies.models import Company
from maventa_portal.maventa_api import Invalid
from tests.factories import UserFactory

PROOF = '{"provider": "own", "checked_at": "2024-05-02T10:00:00Z"}'
SIGN = "POST /ax/v1/company/authorization"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.mark.parametrize("options", ["", PROOF])
def test_form_takes_an_optional_kyc_proof(options):
    form = VerificationRequestForm(
        {"auth_email": "signer@example.com", "locale": "FI", "options": options}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["options"] == options


@pytest.mark.parametrize("options", ["kyc done", '{"provider": ', "[" * 5000])
def test_form_refuses_a_proof_that_is_not_json(options):
    form = VerificationRequestForm(
        {"auth_email": "signer@example.com", "locale": "FI", "options": options}
    )

    assert not form.is_valid()
    assert form.errors["options"] == [KYC_PROOF_NOT_JSON]


def test_service_sends_the_proof_to_maventa(sandbox, make_company):
    company = make_company(company_state="UNVERIFIED")

    services.request_verification(
        company=company, auth_email="signer@example.com", locale="FI", options=PROOF
    )

    company.refresh_from_db()
    assert company.auth_state == Company.AuthState.SENT


def test_a_proof_maventa_cannot_read_comes_back_as_its_refusal(sandbox, make_company):
    # Past the form (a script, a task): Maventa's 400 reaches staff with what it said.
    company = make_company(company_state="UNVERIFIED")

    with pytest.raises(Invalid) as caught:
        services.request_verification(
            company=company, auth_email="signer@example.com", locale="FI", options="kyc done"
        )

    assert "options is not valid JSON" in caught.value.staff_message


def test_page_refuses_a_malformed_proof_before_calling_maventa(staff_client, sandbox, make_company):
    company = make_company(company_state="UNVERIFIED")
    sandbox.reset()

    response = staff_client.post(
        reverse("companies:request_verification", args=[company.pk]),
        {"auth_email": "signer@example.com", "locale": "FI", "options": "kyc done"},
        follow=True,
    )

    assert escape(KYC_PROOF_NOT_JSON) in response.content.decode()
    assert sandbox.requests_to(SIGN) == 0


def test_page_offers_and_sends_the_proof(staff_client, sandbox, make_company):
    company = make_company(company_state="UNVERIFIED")
    page = staff_client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert "Proof of your own KYC (JSON), when you run KYC yourselves" in page

    staff_client.post(
        reverse("companies:request_verification", args=[company.pk]),
        {"auth_email": "signer@example.com", "locale": "FI", "options": PROOF},
        follow=True,
    )

    company.refresh_from_db()
    assert company.auth_state == Company.AuthState.SENT
    assert sandbox.requests_to(SIGN) == 1
