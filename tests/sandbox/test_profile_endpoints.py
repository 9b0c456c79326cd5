"""Reading, changing and deleting registrations: list filters, one with extensions, PATCH."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.test_profiles import INVOICES, refused, registered, token_of

pytestmark = pytest.mark.sandbox

PROFILES = "/v1/company/profiles"


def ids(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.text
    return [p["id"] for p in response.json()]


@pytest.fixture
def three(sandbox, token) -> dict[str, dict]:
    """VISMA (made active), PEPPOL (pending) and SCAN_DOCUMENTS (error) of the token's company."""
    visma = registered(sandbox, token, network="VISMA", profiles=INVOICES)
    sandbox.set_profile(visma["id"], status="active")
    peppol = registered(sandbox, token, profiles=INVOICES)
    scan = registered(sandbox, token, network="SCAN_DOCUMENTS", profiles=["VOUCHER"])
    sandbox.set_profile(scan["id"], status="error", message="Scanner account missing")
    return {"visma": visma, "peppol": peppol, "scan": scan}


def test_list_answers_the_companys_registrations_oldest_first(sandbox, token, three):
    other = token_of(sandbox, "Muu Oy", "7654321-2", "FI")
    registered(sandbox, other, network="VISMA", profiles=INVOICES)

    response = ax_call(sandbox, "GET", PROFILES, token)

    assert ids(response) == [three[k]["id"] for k in ("visma", "peppol", "scan")]
    assert [p["status"] for p in response.json()] == ["active", "pending", "error"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"network[]": "PEPPOL"}, ["peppol"]),
        ({"network[]": ["PEPPOL", "VISMA"]}, ["visma", "peppol"]),
        ({"network": "VISMA"}, ["visma"]),
        ({"network[]": "VISMASCANNER"}, ["scan"]),
        ({"network[]": "SCAN_DOCUMENTS"}, ["scan"]),
        ({"status[]": ["active", "error"]}, ["visma", "scan"]),
        ({"status": "pending"}, ["peppol"]),
        ({"network[]": "VISMA", "status[]": "pending"}, []),
    ],
)
def test_list_filters_by_network_and_status(sandbox, token, three, params, expected):
    response = ax_call(sandbox, "GET", PROFILES, token, params=params)

    assert ids(response) == [three[k]["id"] for k in expected]


@pytest.mark.parametrize("asked", ["SCAN_DOCUMENTS", "VISMASCANNER"])
def test_scanned_documents_answer_in_the_schemas_spelling(sandbox, token, asked):
    # API.md says SCAN_DOCUMENTS (or VISMASCANNER); the schema's enum has VISMASCANNER only.
    registered(sandbox, token, network="VISMA", profiles=INVOICES)
    created = registered(sandbox, token, network=asked, profiles=["VOUCHER"])

    listed = ax_call(sandbox, "GET", PROFILES, token, params={"network[]": asked}).json()
    one = ax_call(sandbox, "GET", f"{PROFILES}/{created['id']}", token).json()

    assert created["network"] == one["network"] == "VISMASCANNER"
    assert [p["network"] for p in listed] == ["VISMASCANNER"]


def test_profile_answers_leave_out_absent_optional_fields_never_null(sandbox, token, three):
    # The schema marks no field nullable (FIELDS.md section 0): no profile_version, no null.
    listed = ax_call(sandbox, "GET", PROFILES, token).json()
    one = ax_call(sandbox, "GET", f"{PROFILES}/{three['visma']['id']}", token).json()

    for body in (*listed, one, three["visma"]):
        assert None not in body.values(), body
        assert "profile_version" not in body
        assert body["profile"] == body["profiles"][0]


@pytest.mark.parametrize("params", [{"network[]": "FAX"}, {"status[]": "ACTIVE"}])
def test_list_refuses_unknown_filter_values(sandbox, token, params):
    response = ax_call(sandbox, "GET", PROFILES, token, params=params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_parameters"


def test_get_one_adds_profiles_with_extensions(sandbox, token, three):
    response = ax_call(sandbox, "GET", f"{PROFILES}/{three['scan']['id']}", token)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["profiles_with_extensions"] == [{"profile_name": "VOUCHER", "extensions": []}]
    assert body["status"] == "error"
    assert body["last_event"]["message"] == "Scanner account missing"
    assert body["last_event"]["created_at"].endswith("Z")


@pytest.mark.parametrize("profile_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_get_unknown_answers_404(sandbox, token, profile_id):
    response = ax_call(sandbox, "GET", f"{PROFILES}/{profile_id}", token)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_another_companys_registration_is_not_found(sandbox, token, three):
    other = token_of(sandbox, "Muu Oy", "7654321-2", "FI")

    for method in ("GET", "DELETE", "PATCH"):
        response = ax_call(sandbox, method, f"{PROFILES}/{three['visma']['id']}", other, json={})
        assert response.status_code == HTTPStatus.NOT_FOUND, method


def test_patch_replaces_network_settings(sandbox, token, three):
    path = f"{PROFILES}/{three['peppol']['id']}"

    response = ax_call(sandbox, "PATCH", path, token, json={"network_settings": {"a": 1}})

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert ax_call(sandbox, "GET", path, token).json()["network_settings"] == {"a": 1}
    bad = ax_call(sandbox, "PATCH", path, token, json={"network_settings": [1]})
    assert bad.status_code == HTTPStatus.BAD_REQUEST


def test_pending_registration_cannot_be_deleted(sandbox, token, three):
    response = ax_call(sandbox, "DELETE", f"{PROFILES}/{three['peppol']['id']}", token)

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "profile_deletion_not_allowed"


def test_active_and_error_registrations_can_be_deleted(sandbox, company, token, three):
    sandbox.set_profile(three["peppol"]["id"], status="active")

    for key in ("peppol", "scan"):
        path = f"{PROFILES}/{three[key]['id']}"
        assert ax_call(sandbox, "DELETE", path, token).status_code == HTTPStatus.NO_CONTENT
        assert ax_call(sandbox, "GET", path, token).status_code == HTTPStatus.NOT_FOUND

    names = [e["event"] for e in sandbox.events(company["company_id"])]
    # The error one was announced DISABLED when it failed, not again when deleted.
    assert names.count("NETWORKS.PEPPOL.DISABLED") == 1
    assert names.count("NETWORKS.VISMASCANNER.DISABLED") == 1


def test_visma_invoices_cannot_be_deleted_while_peppol_needs_them(sandbox, token, three):
    visma = f"{PROFILES}/{three['visma']['id']}"

    response = ax_call(sandbox, "DELETE", visma, token)

    assert response.status_code == HTTPStatus.CONFLICT
    assert "PEPPOL" in response.json()["message"]
    sandbox.set_profile(three["peppol"]["id"], status="error")
    assert ax_call(sandbox, "DELETE", visma, token).status_code == HTTPStatus.NO_CONTENT


@pytest.fixture
def dutch(sandbox) -> str:
    return token_of(sandbox, "Nederland BV", "87654321", "NL")


def test_gaccount10_extension_is_stored_for_a_dutch_company(sandbox, dutch):
    visma = registered(sandbox, dutch, network="VISMA", profiles=INVOICES)
    peppol = registered(
        sandbox, dutch, profiles=[*INVOICES, "ORDER"], profile_version="PEPPOLBIS30"
    )
    path = f"{PROFILES}/{peppol['id']}"
    body = {"profile_name": "INVOICE_AND_CREDIT_NOTE", "extensions": ["GACCOUNT10"]}

    response = ax_call(sandbox, "PUT", f"{path}/extensions", dutch, json=body)

    assert response.status_code == HTTPStatus.OK
    expected = [
        {"profile_name": "INVOICE_AND_CREDIT_NOTE", "extensions": ["GACCOUNT10"]},
        {"profile_name": "ORDER", "extensions": []},
    ]
    assert response.json()["profiles_with_extensions"] == expected
    assert ax_call(sandbox, "GET", path, dutch).json()["profiles_with_extensions"] == expected
    assert "profiles_with_extensions" not in ax_call(sandbox, "GET", PROFILES, dutch).json()[0]
    assert visma


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ({"profile_name": "ORDER", "extensions": []}, "not one of this registration"),
        ({"profile_name": "INVOICE_AND_CREDIT_NOTE", "extensions": ["GACCOUNT11"]}, "Unknown"),
        ({"profile_name": "INVOICE_AND_CREDIT_NOTE", "extensions": ["GACCOUNT10"]}, "NL only"),
    ],
)
def test_extension_refusals(sandbox, token, body, hint):
    visma = registered(sandbox, token, network="VISMA", profiles=INVOICES)
    path = f"{PROFILES}/{visma['id']}/extensions"

    assert hint in refused(ax_call(sandbox, "PUT", path, token, json=body))


def test_malformed_extensions_answer_400(sandbox, token):
    visma = registered(sandbox, token, network="VISMA", profiles=INVOICES)
    path = f"{PROFILES}/{visma['id']}/extensions"

    response = ax_call(sandbox, "PUT", path, token, json={"extensions": "GACCOUNT10"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert len(response.json()["details"]) == 2


def test_reading_needs_company_read(sandbox, company):
    lookup_only = company_token(sandbox, company, scope="lookup")

    assert ax_call(sandbox, "GET", PROFILES, lookup_only).status_code == HTTPStatus.UNAUTHORIZED
