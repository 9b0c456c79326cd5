"""Nothing orphaned at Maventa: what a creation got is kept when the portal cannot save it,
and a lost answer is looked up (as the operator) before anything is sent again."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.db import DatabaseError
from django.urls import reverse

from companies import services
from companies.models import Company, UnsavedCompany
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import AuditEntry
from tests.companies.forms import COMPANY_FORM

pytestmark = pytest.mark.sandbox

FORM = {**COMPANY_FORM, "name": "Kadonnut Oy"}


@pytest.fixture
def failing_save(monkeypatch):
    """The local save of a new company fails (a full disk, a lost connection)."""
    original = Company.save

    def save(self, *args, **kwargs):
        if self.pk is None:
            raise DatabaseError("disk I/O error")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Company, "save", save)
    return monkeypatch


def test_company_created_on_maventa_but_not_saved_here_is_kept_with_its_key(sandbox, failing_save):
    with pytest.raises(PortalError) as caught:
        services.create_company(**FORM)

    pending = UnsavedCompany.objects.get()
    assert pending.maventa_id is not None
    assert "Nothing is lost" in caught.value.staff_message
    assert str(pending.maventa_id) in caught.value.staff_message
    assert _exists("1234567-1")
    assert pending.details["email"] == "office@example.com"
    entry = AuditEntry.objects.get(event="company.create")
    assert entry.outcome == AuditEntry.Outcome.FAILED


def test_kept_company_is_saved_from_the_companies_page_with_the_kept_key(
    sandbox, failing_save, operator_client
):
    with pytest.raises(PortalError):
        services.create_company(**FORM)
    failing_save.undo()
    listing = operator_client.get(reverse("companies:list")).content.decode()
    assert "Created on Maventa, not saved here" in listing
    pending = UnsavedCompany.objects.get()

    response = operator_client.post(reverse("companies:unsaved_save", args=[pending.pk]))

    company = Company.objects.get(bid="1234567-1")
    assert response.status_code == HTTPStatus.FOUND
    assert company.maventa_id == pending.maventa_id
    assert company.email == "office@example.com"
    services.refresh_company_state(company=company)  # the kept key works
    pending.refresh_from_db()
    assert pending.resolved_at is not None
    assert pending.company == company
    assert (
        "Created on Maventa" not in operator_client.get(reverse("companies:list")).content.decode()
    )


def test_form_shows_the_way_forward_when_the_save_fails(sandbox, failing_save, operator_client):
    response = operator_client.post(reverse("companies:create"), FORM)

    assert response.status_code == HTTPStatus.OK
    assert "Created on Maventa, not saved here" in response.content.decode()


@pytest.mark.slow
def test_lost_answer_is_looked_up_and_the_company_linked_with_the_new_key(sandbox, settings):
    settings.MAVENTA_READ_TIMEOUT = 0.4
    sandbox.script({"path": "/v1/companies", "method": "POST", "hang_seconds": 0.8})

    company = services.create_company(**FORM)

    assert company.pk is not None
    assert sandbox.requests_to("POST /ax/v1/companies") == 1
    assert sandbox.requests_to("POST /ax/v1/users") == 1
    assert sandbox.requests_to("GET /ax/v1/operator/companies") >= 1
    services.refresh_company_state(company=company)
    assert not UnsavedCompany.objects.exists()


@pytest.mark.slow
def test_lost_answer_not_found_keeps_the_key_and_the_retry_links_instead_of_recreating(
    sandbox, settings
):
    settings.MAVENTA_READ_TIMEOUT = 0.3
    sandbox.script({"path": "/v1/companies", "method": "POST", "hang_seconds": 4.0})

    with pytest.raises(PortalError) as caught:
        services.create_company(**FORM)

    assert "create the company again with the same business id" in caught.value.staff_message
    pending = UnsavedCompany.objects.get()
    assert pending.maventa_id is None
    _wait_for_sandbox_company(sandbox, bid="1234567-1")

    company = services.create_company(**FORM)

    assert sandbox.requests_to("POST /ax/v1/companies") == 1
    assert sandbox.requests_to("POST /ax/v1/users") == 1
    services.refresh_company_state(company=company)
    pending.refresh_from_db()
    assert pending.company == company


@pytest.mark.slow
def test_retry_after_a_lost_answer_creates_the_company_with_the_kept_user(sandbox, settings):
    settings.MAVENTA_READ_TIMEOUT = 0.3
    # The request is dropped unhandled: Maventa never made the company.
    sandbox.script({"path": "/v1/companies", "method": "POST", "drop": True, "hang_seconds": 0.5})
    with pytest.raises(PortalError):
        services.create_company(**FORM)
    settings.MAVENTA_READ_TIMEOUT = 30

    company = services.create_company(**FORM)

    assert sandbox.requests_to("POST /ax/v1/users") == 1
    assert sandbox.requests_to("POST /ax/v1/companies") == 2
    services.refresh_company_state(company=company)


def _wait_for_sandbox_company(sandbox, *, bid: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _exists(bid):
            return
        time.sleep(0.2)
    raise AssertionError(f"The sandbox never created {bid}")


def _exists(bid: str) -> bool:
    # The live server shares the test database: the sandbox's own table says when it is done.
    from maventa_portal.sandbox.models import Company as SandboxCompany

    return SandboxCompany.objects.filter(bid=bid).exists()
