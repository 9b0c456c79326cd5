"""SCAN_DOCUMENTS at the client boundary: sent as the schema's VISMASCANNER (FIELDS.md section 12,
item 9), looked up under that name after a lost answer, and recognised under either name."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from responses import matchers

from companies import services
from companies.models import NetworkProfile
from companies.profile_rules import Step
from companies.services import profiles as profile_services
from maventa_portal.maventa_api import ClientConfig, CompanyCredentials, Maventa, MemoryTokenStore
from maventa_portal.maventa_api import http as maventa_http
from maventa_portal.maventa_api.ax import profiles as ax_profiles

BASE = "http://maventa.invalid/sandbox/ax"
PROFILES = f"{BASE}/v1/company/profiles"
SCANNED = {"id": "p-1", "status": "pending", "network": "VISMASCANNER", "profiles": ["VOUCHER"]}


@pytest.fixture
def offline_api(monkeypatch):
    monkeypatch.setattr(maventa_http, "jitter", lambda: 0.0)
    client = Maventa(
        ClientConfig.for_environment("sandbox", sandbox_url=BASE.removesuffix("/ax")),
        token_store=MemoryTokenStore(),
        sleep=lambda seconds: None,
    )
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.post(f"{BASE}/oauth2/token", json={"access_token": "t", "expires_in": 3600})
        yield mock, client.company(CompanyCredentials(company_id="c-1", api_key="k"))
    client.close()


def test_client_sends_and_filters_with_the_schemas_name(offline_api):
    mock, api = offline_api
    mock.post(PROFILES, json=SCANNED, status=201)
    mock.get(
        PROFILES,
        json=[SCANNED],
        match=[matchers.query_param_matcher({"network[]": "VISMASCANNER"})],
    )

    ax_profiles.create_profile(api, network="SCAN_DOCUMENTS", profiles=["VOUCHER"])
    ax_profiles.list_profiles(api, network=["SCAN_DOCUMENTS"])

    posted = json.loads(mock.calls[1].request.body)
    assert posted["network"] == "VISMASCANNER"


def test_lookup_after_a_lost_answer_filters_with_the_name_sent(offline_api):
    mock, api = offline_api
    mock.post(PROFILES, body=requests.exceptions.ReadTimeout("no answer"))
    mock.get(
        PROFILES,
        json=[SCANNED],
        match=[matchers.query_param_matcher({"network[]": "VISMASCANNER"})],
    )

    found, created = profile_services._create_remote(api, Step("SCAN_DOCUMENTS", ("VOUCHER",)))

    assert (found.id, created) == ("p-1", False)


@pytest.mark.sandbox
def test_scanned_documents_asked_either_way_are_registered_once(sandbox, make_company):
    company = make_company()
    services.register_profiles(
        company=company, network="VISMA", profiles=["INVOICE_AND_CREDIT_NOTE"]
    )

    first = services.register_profiles(
        company=company, network="SCAN_DOCUMENTS", profiles=["VOUCHER"]
    )
    again = services.register_profiles(
        company=company, network="SCAN_DOCUMENTS", profiles=["VOUCHER"]
    )

    assert len(first.created) == 1
    assert again.created == []
    assert "already pending" in again.summary
    assert sandbox.requests_to("POST /ax/v1/company/profiles") == 2
    assert NetworkProfile.objects.get(maventa_id=first.created[0].maventa_id).network == (
        "VISMASCANNER"
    )
