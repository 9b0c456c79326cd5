"""Every staff action on companies leaves an audit entry: who, from where, what, the outcome.

Actions go through the staff pages and the admin as an operator would use them, against
the sandbox over HTTP; entries are read back from the audit trail.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from maventa_portal.core.models import AuditEntry, BulkRun
from maventa_portal.core.roles import VIEWERS
from tests.companies.forms import COMPANY_FORM
from tests.factories import CompanyFactory, UserFactory

CREATE_FORM = {**COMPANY_FORM, "name": "Audit Oy"}


def _entries(event: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event).order_by("pk"))


def _trail_text() -> str:
    rows = AuditEntry.objects.values()
    return json.dumps(list(rows), default=str)


def test_creating_a_company_records_who_from_where_and_what(operator_client, operator, sandbox):
    operator_client.post(reverse("companies:create"), CREATE_FORM)

    [entry] = _entries("company.create")
    company = Company.objects.get(bid="1234567-1")
    assert entry.actor == operator
    assert entry.remote_addr == "127.0.0.1"
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.company_id == company.pk
    assert entry.asked["name"] == "Audit Oy"
    assert entry.object_pk == str(company.pk)
    assert company.credential.get_api_key() not in _trail_text()


def test_refused_creation_is_recorded_with_its_reason(operator_client, sandbox):
    CompanyFactory(bid="1234567-1", country="FI")

    operator_client.post(reverse("companies:create"), CREATE_FORM)

    [entry] = _entries("company.create")
    assert entry.outcome == AuditEntry.Outcome.REFUSED
    assert "already in the portal" in entry.reason
    assert sandbox.stats()["requests"] == {}


def test_linking_records_the_company_and_never_the_key(operator_client, sandbox):
    account = sandbox.create_company(name="Linked Oy", bid="0112038-9", country="FI")

    operator_client.post(
        reverse("companies:link"),
        {"maventa_id": account["company_id"], "api_key": account["api_key"]},
    )

    [entry] = _entries("company.link")
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.company.name == "Linked Oy"
    assert account["api_key"] not in _trail_text()


def test_import_records_an_entry_per_row_and_one_for_the_file(
    operator_client, operator, sandbox, sync_tasks
):
    csv = (
        "name,bid,country,email,address1,post_code,post_office,city\n"
        "Rivi Oy,1234567-1,FI,a@example.com,Katu 1,00100,Helsinki,Helsinki\n"
        "Huono Oy,1234567-2,FI,b@example.com,Katu 2,00100,Helsinki,Helsinki\n"
    )

    operator_client.post(
        reverse("companies:import"), {"file": SimpleUploadedFile("c.csv", csv.encode())}
    )

    run = BulkRun.objects.get()
    rows = _entries("company.create")
    assert [(e.via, e.outcome, e.actor) for e in rows] == [
        (f"CSV import (run {run.pk}), line 2", "done", operator),
        (f"CSV import (run {run.pk}), line 3", "refused", operator),
    ]
    assert {e.remote_addr for e in rows} == {"127.0.0.1"}
    [start] = _entries("bulk.start")
    assert start.asked["kind"] == "companies.import_csv"
    assert start.asked["items"] == 2


def test_registering_profiles_records_the_request_and_the_result(
    operator_client, make_company, sandbox
):
    company = make_company()

    operator_client.post(
        reverse("companies:register", args=[company.pk]),
        {"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"], "profile_version": ""},
    )

    [entry] = _entries("profiles.register")
    assert entry.company_id == company.pk
    assert entry.asked["network"] == "VISMA"
    assert "registered" in entry.reason


def test_replacing_a_key_records_both_refusal_and_success_without_the_key(
    operator_client, make_company, sandbox
):
    company = make_company()
    good_key = company.credential.get_api_key()
    url = reverse("companies:replace_key", args=[company.pk])

    operator_client.post(url, {"api_key": "wrong-key-123"})
    operator_client.post(url, {"api_key": good_key})

    refused, done = _entries("company.replace_key")
    assert refused.outcome == AuditEntry.Outcome.REFUSED
    assert "did not accept" in refused.reason
    assert done.outcome == AuditEntry.Outcome.DONE
    trail = _trail_text()
    assert "wrong-key-123" not in trail
    assert good_key not in trail


def test_kyc_request_is_recorded(operator_client, make_company, sandbox):
    company = make_company(company_state="UNVERIFIED")

    operator_client.post(
        reverse("companies:request_verification", args=[company.pk]),
        {"auth_email": "signer@example.com", "locale": "FI"},
    )

    [entry] = _entries("company.request_verification")
    assert entry.outcome == AuditEntry.Outcome.DONE
    assert entry.asked == {"auth_email": "signer@example.com", "locale": "FI"}


def test_bulk_run_start_retry_and_each_company_are_recorded(
    operator_client, operator, sandbox, sync_tasks
):
    companies = CompanyFactory.create_batch(2)
    operator_client.post(
        reverse("admin:companies_company_changelist"),
        {"action": "register_network_profiles", "_selected_action": [c.pk for c in companies]},
    )
    operator_client.post(
        reverse("admin:companies_company_register_profiles"),
        {"network": "PEPPOL", "profiles": ["INVOICE_AND_CREDIT_NOTE"], "profile_version": ""},
    )
    run = BulkRun.objects.get()

    operator_client.post(reverse("runs:retry", args=[run.pk]), _options_of(run))

    [start] = _entries("bulk.start")
    assert (start.actor, start.via, start.object_pk) == (operator, "admin", str(run.pk))
    [retry] = _entries("bulk.retry")
    assert retry.reason == "2 failed companies retried."
    per_company = _entries("profiles.register")
    assert len(per_company) == 4  # two companies, each tried twice
    assert {e.via for e in per_company} == {f"bulk run {run.pk}"}
    assert {e.actor for e in per_company} == {operator}
    assert {e.company_id for e in per_company} == {c.pk for c in companies}


def test_admin_edit_records_each_changed_field_before_and_after(operator_client, operator):
    company = CompanyFactory(email="old@example.com", city="Turku")
    url = reverse("admin:companies_company_change", args=[company.pk])
    form = {
        "name": company.name,
        "email": "new@example.com",
        "address1": "",
        "post_code": "",
        "post_office": "",
        "city": "Turku",
        "profiles-TOTAL_FORMS": "0",
        "profiles-INITIAL_FORMS": "0",
    }

    response = operator_client.post(url, form)

    assert response.status_code == HTTPStatus.FOUND
    entry = AuditEntry.objects.filter(company=company, action=AuditEntry.Action.UPDATE).get()
    assert entry.changes_dict == {"email": ["old@example.com", "new@example.com"]}
    assert entry.actor == operator
    assert entry.remote_addr == "127.0.0.1"
    assert entry.company_id == company.pk


def test_admin_delete_is_recorded_and_the_entry_outlives_the_company(admin_client):
    company = CompanyFactory(name="Gone Oy")

    admin_client.post(reverse("admin:companies_company_delete", args=[company.pk]), {"post": "yes"})

    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_repr__startswith="Gone")
    assert entry.company_id == company.pk
    assert not Company.objects.filter(pk=company.pk).exists()


def test_group_and_permission_changes_are_recorded(admin_client):
    user = UserFactory(staff=True)
    group = Group.objects.get(name=VIEWERS)
    perm = Permission.objects.get(codename="manage_credentials")

    group.permissions.add(perm)
    user.groups.add(group)

    changes = [e.changes_dict for e in AuditEntry.objects.filter(event="").order_by("pk")]
    assert {"permissions": {"type": "m2m", "operation": "add", "objects": [str(perm)]}} in changes
    assert {"groups": {"type": "m2m", "operation": "add", "objects": [VIEWERS]}} in changes


def test_company_page_shows_its_history(operator_client, make_company, sandbox):
    company = make_company(company_state="UNVERIFIED")
    operator_client.post(
        reverse("companies:request_verification", args=[company.pk]),
        {"auth_email": "signer@example.com", "locale": "FI"},
    )

    page = operator_client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    history = page.split('id="history"')[1]
    assert "company.request_verification" in history
    assert "olga-operator" in history
    assert "127.0.0.1" in history


def _options_of(run: BulkRun) -> dict:
    """The retry form as the run page fills it: the run's own options."""
    options = run.options
    return {
        "options-network": options["network"],
        "options-profiles": options["profiles"],
        "options-profile_version": options["profile_version"] or "PEPPOLBIS30",
    }
