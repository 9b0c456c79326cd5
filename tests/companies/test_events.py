"""Applying Maventa's network and authorization events (payloads as in samples/webhooks)."""

from __future__ import annotations

import pytest

from companies.models import Company, NetworkProfile
from companies.services import UnknownCompany, apply_authorization_event, apply_network_event
from tests.factories import CompanyFactory, NetworkProfileFactory

pytestmark = pytest.mark.django_db


def test_verified_event_opens_the_company():
    company = CompanyFactory()

    apply_authorization_event(
        company_id=str(company.maventa_id),
        state="VERIFIED",
        event_timestamp="2026-11-01T10:00:00+02:00",
    )

    company.refresh_from_db()
    assert company.company_state == Company.State.VERIFIED
    assert company.state_changed_at.isoformat() == "2026-11-01T08:00:00+00:00"


def test_older_authorization_event_does_not_undo_a_newer_one():
    company = CompanyFactory()
    apply_authorization_event(
        company_id=str(company.maventa_id),
        state="VERIFIED",
        event_timestamp="2026-11-02T10:00:00+00:00",
    )

    apply_authorization_event(
        company_id=str(company.maventa_id),
        state="UNVERIFIED",
        event_timestamp="2026-11-01T10:00:00+00:00",
    )

    company.refresh_from_db()
    assert company.company_state == Company.State.VERIFIED


def test_minus_one_reads_as_unverified():
    company = CompanyFactory(verified=True)

    apply_authorization_event(company_id=str(company.maventa_id), state="-1")

    company.refresh_from_db()
    assert company.company_state == Company.State.UNVERIFIED


def test_event_for_an_unknown_company_is_reported():
    with pytest.raises(UnknownCompany):
        apply_authorization_event(
            company_id="74700284-d794-4fdd-a2ae-d72c3589f7a2", state="VERIFIED"
        )


def test_network_created_event_mirrors_a_registration_made_elsewhere():
    company = CompanyFactory()

    profile = apply_network_event(
        company_id=str(company.maventa_id),
        event="NETWORKS.PEPPOL.CREATED",
        event_data={"network": "PEPPOL", "profiles": ["INVOICE_AND_CREDIT_NOTE"], "id": "f22c4a82"},
        event_timestamp="2020-02-04T10:24:47+02:00",
    )

    assert profile.company == company
    assert profile.status == NetworkProfile.Status.PENDING
    assert profile.profiles == ["INVOICE_AND_CREDIT_NOTE"]


@pytest.mark.parametrize(
    ("event", "status"),
    [("NETWORKS.PEPPOL.ENABLED", "active"), ("NETWORKS.PEPPOL.DISABLED", "disabled")],
)
def test_network_events_move_the_profile(event, status):
    profile = NetworkProfileFactory(status="pending")

    apply_network_event(
        company_id=str(profile.company.maventa_id),
        event=event,
        event_data={"network": "PEPPOL", "profiles": profile.profiles, "id": profile.maventa_id},
    )

    profile.refresh_from_db()
    assert profile.status == status


def test_created_event_arriving_after_enabled_leaves_the_profile_active():
    profile = NetworkProfileFactory(status="active")

    apply_network_event(
        company_id=str(profile.company.maventa_id),
        event="NETWORKS.PEPPOL.CREATED",
        event_data={"network": "PEPPOL", "profiles": profile.profiles, "id": profile.maventa_id},
    )

    profile.refresh_from_db()
    assert profile.status == "active"


def test_same_event_twice_changes_nothing_the_second_time():
    profile = NetworkProfileFactory(status="pending")
    data = {"network": "PEPPOL", "profiles": profile.profiles, "id": profile.maventa_id}
    company_id = str(profile.company.maventa_id)
    apply_network_event(company_id=company_id, event="NETWORKS.PEPPOL.ENABLED", event_data=data)
    profile.refresh_from_db()
    first_change = profile.status_changed_at

    apply_network_event(company_id=company_id, event="NETWORKS.PEPPOL.ENABLED", event_data=data)

    profile.refresh_from_db()
    assert profile.status_changed_at == first_change
    assert NetworkProfile.objects.count() == 1
