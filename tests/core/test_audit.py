"""The audit trail itself: nobody edits or deletes it, no secret reaches it, the admin shows it."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from companies.models import Company
from maventa_portal.core.audit import Actor, record
from maventa_portal.core.audit.masking import SECRET_CHANGED
from maventa_portal.core.models import AuditEntry
from tests.factories import CompanyCredentialFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(operator):
    return record(
        actor=Actor(user=operator, remote_addr="192.0.2.7", via="portal"),
        event="company.refresh",
        target=CompanyFactory(),
        reason="State VERIFIED; 0 profiles refreshed.",
    )


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(entry):
    entry.reason = "rewritten"

    with pytest.raises(ValueError, match="never changed or deleted"):
        entry.save()
    with pytest.raises(ValueError, match="never changed or deleted"):
        entry.delete()


def test_not_even_a_superuser_can_add_change_or_delete_entries_in_the_admin(admin_client, entry):
    change_url = reverse("admin:core_auditentry_change", args=[entry.pk])

    page = admin_client.get(change_url)
    posted = admin_client.post(change_url, {"reason": "rewritten"})
    deleted = admin_client.post(
        reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    added = admin_client.get(reverse("admin:core_auditentry_add"))

    assert page.status_code == HTTPStatus.OK
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == HTTPStatus.FORBIDDEN
    assert deleted.status_code == HTTPStatus.FORBIDDEN
    assert added.status_code == HTTPStatus.FORBIDDEN
    entry.refresh_from_db()
    assert entry.reason == "State VERIFIED; 0 profiles refreshed."


def test_viewer_reads_the_trail_with_its_filters(viewer_client, entry):
    response = viewer_client.get(
        reverse("admin:core_auditentry_changelist"), {"company__id__exact": entry.company_id}
    )

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "company.refresh" in page
    assert "192.0.2.7" in page
    for heading in ("By actor", "By event", "By outcome", "By company"):
        assert heading in page


def test_password_change_is_recorded_without_the_hash(admin_client):
    user = UserFactory(staff=True)
    old_hash = user.password

    user.set_password("a-new-password-2026")
    user.save()

    entry = AuditEntry.objects.filter(
        content_type__model="user", object_pk=str(user.pk), action=AuditEntry.Action.UPDATE
    ).get()
    assert entry.changes_dict["password"] == [SECRET_CHANGED, SECRET_CHANGED]
    text = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert old_hash not in text
    assert user.password not in text


def test_stored_api_keys_reach_the_trail_only_as_changed(db):
    credential = CompanyCredentialFactory(api_key="very-secret-key")

    credential.set_api_key("another-secret-key")
    credential.save()

    text = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert "very-secret-key" not in text
    assert "another-secret-key" not in text
    assert credential.encrypted_api_key not in text
    assert AuditEntry.objects.filter(company=credential.company, action=1).exists()


def test_entry_survives_its_company(entry):
    company_id = entry.company_id

    Company.objects.filter(pk=company_id).delete()

    entry.refresh_from_db()
    assert entry.company_id == company_id


class TestCompanyAdmin:
    def test_fields_maventa_owns_are_read_only(self, admin_client):
        company = CompanyFactory()

        page = admin_client.get(reverse("admin:companies_company_change", args=[company.pk]))

        html = page.content.decode()
        for field in ("bid", "country", "maventa_id", "eia", "company_state", "vendor_key"):
            assert f'name="{field}"' not in html, field
        for field in ("name", "email", "address1", "city"):
            assert f'name="{field}"' in html, field

    def test_posting_a_new_business_id_changes_nothing_maventa_owns(self, admin_client):
        company = CompanyFactory(country="FI")
        bid = company.bid

        admin_client.post(
            reverse("admin:companies_company_change", args=[company.pk]),
            {
                "name": company.name,
                "bid": "0112038-9",
                "country": "SE",
                "profiles-TOTAL_FORMS": "0",
                "profiles-INITIAL_FORMS": "0",
            },
        )

        company.refresh_from_db()
        assert (company.bid, company.country) == (bid, "FI")

    def test_delete_confirmation_says_the_company_stays_on_maventa(self, admin_client):
        company = CompanyFactory()

        single = admin_client.get(reverse("admin:companies_company_delete", args=[company.pk]))
        bulk = admin_client.post(
            reverse("admin:companies_company_changelist"),
            {"action": "delete_selected", "_selected_action": [company.pk]},
        )

        assert "the company stays on Maventa" in single.content.decode()
        assert "the selected companies stay on Maventa" in bulk.content.decode()
        assert "ask Maventa's support to close the account" in single.content.decode()
