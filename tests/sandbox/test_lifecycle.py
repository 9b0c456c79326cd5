"""Time in the sandbox: registrations turning active, KYC completing, BANK requested, events."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import ax_call, ax_get, company_token
from tests.sandbox.test_profiles import INVOICES, registered

pytestmark = pytest.mark.sandbox


def status_of(sandbox, token, profile_id: str) -> str:
    return ax_get(sandbox, f"/v1/company/profiles/{profile_id}", token).json()["status"]


def authorization(sandbox, token) -> dict:
    return ax_get(sandbox, "/v1/company/authorization", token).json()


def event_names(sandbox, company_id: str) -> list[str]:
    return [e["event"] for e in sandbox.events(company_id)]


def new_company(sandbox, *, country: str = "FI", bid: str = "7654321-2", **kw) -> dict:
    return sandbox.create_company(name="Uusi Oy", bid=bid, country=country, **kw)


def test_registration_stays_pending_for_the_activation_time(sandbox, token):
    created = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    assert status_of(sandbox, token, created["id"]) == "pending"
    assert sandbox.tick()["profiles_activated"] == 0


def test_registration_turns_active_on_read_once_due(sandbox, company, token):
    sandbox.set_lifecycle(profile_activation_seconds=0)

    created = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    assert created["status"] == "pending"
    assert status_of(sandbox, token, created["id"]) == "active"
    events = sandbox.events(company["company_id"])
    assert [e["event"] for e in events] == ["NETWORKS.VISMA.CREATED", "NETWORKS.VISMA.ENABLED"]
    assert events[0]["event_data"] == {
        "network": "VISMA",
        "profiles": INVOICES,
        "id": created["id"],
    }


def test_tick_activates_without_any_read(sandbox, company, token):
    sandbox.set_lifecycle(profile_activation_seconds=0)
    created = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    moved = sandbox.tick()
    assert (
        moved.items()
        >= {"companies_verified": 0, "bank_requested": 0, "profiles_activated": 1}.items()
    )
    assert sandbox.tick()["profiles_activated"] == 0
    assert sandbox.profiles_of(company["company_id"])[0]["status"] == "active"
    assert created


def test_read_and_tick_record_the_same_history(sandbox):
    sandbox.set_lifecycle(profile_activation_seconds=0, kyc_seconds=0, bank_activation_seconds=0)
    by_read = new_company(sandbox, bid="7654321-2", company_state=None)
    by_tick = new_company(sandbox, bid="2002000-9", company_state=None)

    authorization(sandbox, company_token(sandbox, by_read))
    sandbox.tick()

    def history(company):
        return [(e["event"], e["event_data"].get("network")) for e in sandbox.events(company)]

    assert (
        history(by_read["company_id"])
        == history(by_tick["company_id"])
        == [
            ("COMPANIES.AUTHORIZATION.VERIFIED", None),
            ("NETWORKS.BANK.CREATED", "BANK"),
            ("NETWORKS.BANK.ENABLED", "BANK"),
        ]
    )


def test_forced_error_has_a_last_event_and_is_announced(sandbox, company, token):
    sandbox.set_lifecycle(profile_activation_seconds=0)
    created = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    forced = sandbox.set_profile(created["id"], status="error", message="Rejected by network")

    assert forced["status"] == "error"
    assert forced["last_event"]["message"] == "Rejected by network"
    sandbox.tick()
    assert status_of(sandbox, token, created["id"]) == "error"
    # It was due, so it turned active before the verdict: the error disables it.
    assert event_names(sandbox, company["company_id"]) == [
        "NETWORKS.VISMA.CREATED",
        "NETWORKS.VISMA.ENABLED",
        "NETWORKS.VISMA.DISABLED",
    ]


def test_pending_forced_to_error_is_announced_disabled(sandbox, company, token):
    created = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    sandbox.set_profile(created["id"], status="error")

    assert status_of(sandbox, token, created["id"]) == "error"
    assert event_names(sandbox, company["company_id"]) == [
        "NETWORKS.VISMA.CREATED",
        "NETWORKS.VISMA.DISABLED",
    ]


def test_forced_pending_stays_pending(sandbox, token):
    sandbox.set_lifecycle(profile_activation_seconds=0)
    created = registered(sandbox, token, network="VISMA", profiles=INVOICES)
    sandbox.set_profile(created["id"], status="pending")

    sandbox.tick()

    assert status_of(sandbox, token, created["id"]) == "pending"


def test_kyc_verifies_a_finnish_company_and_requests_bank(sandbox):
    sandbox.set_lifecycle(kyc_seconds=0)
    created = new_company(sandbox, company_state=None)
    token = company_token(sandbox, created)

    assert authorization(sandbox, token) == {
        "auth_state": "SIGNED",
        "auth_email": "",
        "company_state": "VERIFIED",
    }
    [bank] = sandbox.profiles_of(created["company_id"])
    assert (bank["network"], bank["profiles"], bank["status"]) == ("BANK", INVOICES, "pending")
    assert (bank["endpoint_id"], bank["scheme"]) == ("003776543212", "0216")
    events = sandbox.events(created["company_id"])
    assert [e["event"] for e in events] == [
        "COMPANIES.AUTHORIZATION.VERIFIED",
        "NETWORKS.BANK.CREATED",
    ]
    assert events[0]["event_data"] == {"state": "VERIFIED"}


def test_bank_turns_active_after_its_own_time(sandbox):
    sandbox.set_lifecycle(kyc_seconds=0, bank_activation_seconds=0)
    created = new_company(sandbox, company_state=None)

    moved = sandbox.tick()
    assert (
        moved.items()
        >= {"companies_verified": 1, "bank_requested": 1, "profiles_activated": 1}.items()
    )
    assert sandbox.profiles_of(created["company_id"])[0]["status"] == "active"


def test_kyc_requests_no_bank_outside_finland(sandbox):
    sandbox.set_lifecycle(kyc_seconds=0)
    created = new_company(sandbox, country="SE", bid="5566778899", company_state=None)

    assert sandbox.tick()["companies_verified"] == 1
    assert sandbox.company(created["company_id"])["company_state"] == "VERIFIED"
    assert sandbox.profiles_of(created["company_id"]) == []
    assert event_names(sandbox, created["company_id"]) == ["COMPANIES.AUTHORIZATION.VERIFIED"]


def test_kyc_does_not_request_bank_twice(sandbox):
    sandbox.set_lifecycle(kyc_seconds=None)
    created = new_company(sandbox, company_state=None)
    registered(sandbox, company_token(sandbox, created), network="BANK", profiles=INVOICES)

    sandbox.set_company(created["company_id"], company_state="VERIFIED")

    assert len(sandbox.profiles_of(created["company_id"])) == 1


def test_kyc_waits_for_its_time(sandbox):
    created = new_company(sandbox, company_state=None)

    assert sandbox.tick()["companies_verified"] == 0
    assert sandbox.company(created["company_id"])["company_state"] == "UNVERIFIED"


def test_kyc_seconds_null_never_verifies(sandbox):
    sandbox.set_lifecycle(kyc_seconds=None)
    created = new_company(sandbox, company_state=None)

    assert sandbox.tick()["companies_verified"] == 0
    assert sandbox.company(created["company_id"])["verify_at"] is None


def test_explicit_state_wins_over_kyc(sandbox):
    sandbox.set_lifecycle(kyc_seconds=0)
    created = new_company(sandbox, company_state="UNVERIFIED")

    assert sandbox.tick()["companies_verified"] == 0
    assert authorization(sandbox, company_token(sandbox, created))["company_state"] == "UNVERIFIED"


def test_company_registered_through_the_api_completes_kyc(sandbox, settings):
    sandbox.set_lifecycle(kyc_seconds=0)
    user = ax_call(
        sandbox,
        "POST",
        "/v1/users",
        None,
        json={"vendor_api_key": settings.MAVENTA_VENDOR_API_KEY, "email": "o@example.com"},
    ).json()
    fields = {
        "vendor_api_key": settings.MAVENTA_VENDOR_API_KEY,
        "user_api_key": user["user_api_key"],
        "name": "Rekisteröity Oy",
        "bid": "7654321-2",
        "no_vat": "true",
        "address1": "Katu 1",
        "post_code": "00100",
        "post_office": "Helsinki",
        "city": "Helsinki",
        "country": "FI",
        "email": "info@example.com",
    }
    response = ax_call(
        sandbox, "POST", "/v1/companies", None, files={k: (None, v) for k, v in fields.items()}
    )
    company_id = response.json()["id"]

    status = ax_get(
        sandbox,
        f"/v1/companies/{company_id}/status",
        company_token(
            sandbox,
            {"company_id": company_id, "api_key": user["user_api_key"], "vendor_api_key": ""},
        ),
    )

    assert status.json()["company_state"] == "VERIFIED"
    assert [p["network"] for p in sandbox.profiles_of(company_id)] == ["BANK"]


def test_control_state_change_is_announced_and_final(sandbox):
    created = new_company(sandbox, company_state=None)

    changed = sandbox.set_company(created["company_id"], company_state="UNKNOWN")

    assert (changed["company_state"], changed["verify_at"]) == ("UNKNOWN", None)
    assert event_names(sandbox, created["company_id"]) == ["COMPANIES.AUTHORIZATION.UNKNOWN"]
    sandbox.set_company(created["company_id"], company_state="VERIFIED")
    assert sandbox.company(created["company_id"])["auth_state"] == "SIGNED"
    assert [p["network"] for p in sandbox.profiles_of(created["company_id"])] == ["BANK"]
