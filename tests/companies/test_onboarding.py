"""Onboarding against the sandbox over real HTTP: create, link, CSV."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from companies import services
from companies.bulk_kinds import import_result
from companies.models import Company
from tests.companies.forms import ADDRESS
from tests.factories import CompanyFactory, valid_bid

pytestmark = pytest.mark.sandbox


def test_create_company_stores_maventa_id_and_encrypted_key(sandbox):
    company = services.create_company(name="Uusi Oy", bid="1234567-1", country="FI", **ADDRESS)

    company.refresh_from_db()
    assert company.maventa_id is not None
    assert company.eia == "003712345671"
    assert company.company_state == Company.State.UNVERIFIED
    stored = company.credential.encrypted_api_key
    assert company.credential.get_api_key() not in stored
    assert sandbox.requests_to("POST /ax/v1/companies") == 1


def test_invalid_business_id_is_refused_before_any_call(sandbox):
    with pytest.raises(ValidationError) as caught:
        services.create_company(name="Väärä Oy", bid="1234567-2", country="FI", **ADDRESS)

    assert "fails its check digit" in str(caught.value)
    assert sandbox.stats()["requests"] == {}


def test_company_in_a_country_maventa_does_not_create_is_refused(sandbox):
    with pytest.raises(ValidationError) as caught:
        services.create_company(name="Deutsche GmbH", bid="DE123456789", country="DE", **ADDRESS)

    assert "link an existing DE company" in str(caught.value)
    assert sandbox.stats()["requests"] == {}


def test_link_existing_company_checks_credentials_and_reads_state(sandbox):
    account = sandbox.create_company(
        name="Olemassa Oy", bid="0112038-9", country="FI", company_state="VERIFIED"
    )

    company = services.link_company(maventa_id=account["company_id"], api_key=account["api_key"])

    assert company.name == "Olemassa Oy"
    assert company.bid == "0112038-9"
    assert company.company_state == Company.State.VERIFIED
    assert company.credential.get_api_key() == account["api_key"]


def test_link_with_a_wrong_key_is_refused_and_stores_nothing(sandbox):
    account = sandbox.create_company(name="Olemassa Oy", bid="0112038-9", country="FI")

    with pytest.raises(ValidationError) as caught:
        services.link_company(maventa_id=account["company_id"], api_key="wrong")

    assert "did not accept" in str(caught.value)
    assert not Company.objects.exists()


def test_link_with_a_malformed_id_is_refused_before_any_call(sandbox):
    with pytest.raises(ValidationError):
        services.link_company(maventa_id="not-a-uuid", api_key="x")

    assert sandbox.stats()["requests"] == {}


def test_csv_import_reports_each_row(sandbox, sync_tasks):
    existing = sandbox.create_company(name="Linkattava Oy", bid=valid_bid("FI", 500), country="FI")
    rows = [
        "name,bid,country,email,address1,post_code,post_office,city,maventa_id,api_key",
        f"Ensimmäinen Oy,{valid_bid('FI', 1)},FI,a@example.com,Katu 1,00100,Helsinki,Helsinki,,",
        f"Norsk AS,{valid_bid('NO', 2)},NO,b@example.com,Gate 2,0150,Oslo,Oslo,,",
        "Väärä Oy,1234567-2,FI,c@example.com,Katu 3,00100,Helsinki,Helsinki,,",
        f"Ensimmäinen Oy,{valid_bid('FI', 1)},FI,a@example.com,Katu 1,00100,Helsinki,Helsinki,,",
        f",,,,,,,,{existing['company_id']},{existing['api_key']}",
        f",,,,,,,,{existing['company_id']},wrong-key",
        "Ei Osoitetta Oy,1234567-1,FI,,,,,,,",
    ]

    run = services.import_companies_csv(data="\n".join(rows).encode(), file_name="c.csv")

    header, results = import_result(run)
    outcome = {row[0]: row[4] for row in results}
    details = {row[0]: row[5] for row in results}
    assert outcome == {
        "2": "created",
        "3": "created",
        "4": "refused",
        "5": "refused",
        "6": "linked",
        "7": "refused",
        "8": "refused",
    }
    assert "check digit" in details["4"]
    assert "Line 2 of the file already has this business id" in details["5"]
    assert "Line 6 of the file already has this Maventa company id" in details["7"]
    assert "needs this" in details["8"]
    assert Company.objects.count() == 3
    assert existing["api_key"] not in str(run.items.values_list("payload", flat=True))


def test_csv_without_required_columns_is_refused(sandbox):
    with pytest.raises(ValidationError) as caught:
        services.import_companies_csv(data=b"name,email\nAcme,a@example.com\n")

    assert "lacks the columns: bid, country" in str(caught.value)


def test_linking_a_second_maventa_company_with_a_known_bid_is_refused(sandbox):
    CompanyFactory(name="Eka Oy", bid="0112038-9", country="FI")
    second = sandbox.create_company(name="Toka Oy", bid="0112038-9", country="FI")

    with pytest.raises(ValidationError) as caught:
        services.link_company(maventa_id=second["company_id"], api_key=second["api_key"])

    assert "already in the portal" in str(caught.value)
    assert Company.objects.count() == 1


def test_schedule_brings_pending_profiles_and_kyc_states_up_to_date(sandbox, make_company):
    from companies.models import NetworkProfile

    sandbox.set_lifecycle(profile_activation_seconds=3600)
    unverified = make_company(company_state="UNVERIFIED")
    services.register_profiles(
        company=unverified, network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"]
    )
    profile = NetworkProfile.objects.get()
    assert profile.status == "pending"
    sandbox.set_profile(profile.maventa_id, status="active")
    sandbox.set_company(str(unverified.maventa_id), company_state="VERIFIED")

    counts = services.refresh_moving_states()

    assert counts == {"profiles": 1, "companies": 1, "failed": 0}
    profile.refresh_from_db()
    unverified.refresh_from_db()
    assert profile.status == "active"
    assert unverified.company_state == Company.State.VERIFIED


def test_schedule_goes_on_past_a_company_maventa_refuses(sandbox, make_company):
    broken = make_company(company_state="UNVERIFIED")
    broken.credential.set_api_key("revoked-key")
    broken.credential.save()
    healthy = make_company(company_state="UNVERIFIED")
    sandbox.set_company(str(healthy.maventa_id), company_state="VERIFIED")

    counts = services.refresh_moving_states()

    assert counts == {"profiles": 0, "companies": 1, "failed": 1}
    healthy.refresh_from_db()
    assert healthy.company_state == Company.State.VERIFIED


def test_dutch_extension_is_set_on_the_invoice_profile_at_maventa(sandbox, make_company):
    from companies.models import NetworkProfile

    company = make_company(country="NL")
    services.register_profiles(
        company=company, network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"]
    )

    services.register_profiles(
        company=company,
        network="PEPPOL",
        profiles=["INVOICE_AND_CREDIT_NOTE"],
        extensions=["GACCOUNT10"],
    )

    peppol = NetworkProfile.objects.get(network="PEPPOL")
    assert peppol.extensions == ["GACCOUNT10"]
    services.refresh_profile(profile=peppol)
    peppol.refresh_from_db()
    assert peppol.raw["profiles_with_extensions"] == [
        {"profile_name": "INVOICE_AND_CREDIT_NOTE", "extensions": ["GACCOUNT10"]}
    ]
