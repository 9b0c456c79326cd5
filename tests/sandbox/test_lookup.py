"""Lookup: receivers, sending endpoints and operators (FIELDS.md section 7)."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.sandbox.conftest import ax_call, company_token
from tests.sandbox.exchange_helpers import receiving_company

pytestmark = pytest.mark.sandbox

RECEIVERS = "/v1/lookup/receivers"


@pytest.fixture
def token(sandbox, company) -> str:
    return company_token(sandbox, company)  # global includes lookup


def receivers(sandbox, token, **params) -> list[dict]:
    response = ax_call(sandbox, "GET", RECEIVERS, token, params=params)
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()


def test_network_is_required(sandbox, token):
    response = ax_call(sandbox, "GET", RECEIVERS, token, params={"name": "Oy"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "network" in response.json()["details"][0]


def test_unknown_network_is_refused(sandbox, token):
    response = ax_call(sandbox, "GET", RECEIVERS, token, params={"network[]": "FAX"})

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_sandbox_companies_receiving_are_found_by_network(sandbox, token):
    receiving_company(sandbox, "Vastaanottaja Oy", "7654321-2")

    internal = receivers(sandbox, token, **{"network[]": "INTERNAL", "name": "vastaanottaja"})
    peppol = receivers(sandbox, token, **{"network[]": "PEPPOL", "bid": "7654321-2"})

    assert [r["eia"] for r in internal] == ["V154:003776543212"]
    assert [r["eia"] for r in peppol] == ["0216:003776543212"]
    entry = peppol[0]
    assert entry["identifier"] == {
        "scheme": "iso6523-actorid-upis",
        "eaid_name": "FI:OVT2",
        "eaid_code": "0216",
        "endpoint_id": "003776543212",
    }
    assert entry["participant"]["name"] == "Vastaanottaja Oy"
    assert [d["document_type"] for d in entry["document_types"]] == ["INVOICE", "CREDIT_NOTE"]
    assert entry["document_types"][0]["process_identifier"] == (
        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    )


def test_pending_registrations_are_not_receivers(sandbox, token):
    other = sandbox.create_company(name="Odottaja Oy", bid="7654321-2", country="FI")
    body = {"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"]}
    ax_call(sandbox, "POST", "/v1/company/profiles", company_token(sandbox, other), json=body)

    assert receivers(sandbox, token, **{"network[]": "INTERNAL", "bid": "7654321-2"}) == []


def test_external_participants_by_eia(sandbox, token):
    found = receivers(sandbox, token, **{"network[]": "PEPPOL", "eia": "0192:998877660"})

    assert [r["participant"]["name"] for r in found] == ["Vestland Eiendom AS"]
    assert found[0]["identifier"]["eaid_name"] == "NO:ORG"


def test_eia_variants_match_the_identifier_under_another_scheme(sandbox, token):
    params = {"network[]": "PEPPOL", "eia": "0037:003727812340"}

    exact = receivers(sandbox, token, **params)
    variants = receivers(sandbox, token, **params, allow_eia_variants="true")

    assert exact == []
    assert [r["eia"] for r in variants] == ["0216:003727812340"]


def test_country_and_document_type_filters(sandbox, token):
    orders = receivers(sandbox, token, **{"network[]": "PEPPOL", "document_type[]": "ORDER"})
    swedish = receivers(sandbox, token, **{"network[]": "PEPPOL", "country[]": ["SE"]})

    assert all("ORDER" in {d["document_type"] for d in r["document_types"]} for r in orders)
    assert orders
    assert {r["participant"]["country"] for r in swedish} == {"SE"}


def test_receivers_are_paged_by_a_hundred(sandbox, token):
    response = ax_call(sandbox, "GET", RECEIVERS, token, params={"network[]": "EXTERNAL"})

    assert response.headers["X-Per-Page"] == "100"
    assert int(response.headers["X-Total"]) == len(response.json()) >= 3


def test_lookup_needs_the_lookup_scope(sandbox, company):
    narrow = company_token(sandbox, company, scope="company")

    response = ax_call(sandbox, "GET", RECEIVERS, narrow, params={"network[]": "PEPPOL"})

    assert response.status_code == HTTPStatus.UNAUTHORIZED


class TestEndpoints:
    def endpoints(self, sandbox, token, **params):
        return ax_call(sandbox, "GET", "/v1/lookup/endpoints", token, params=params)

    def test_a_receiver_of_e_invoices(self, sandbox, token):
        response = self.endpoints(sandbox, token, **{"business_ids[]": "998877660"})

        assert response.json() == {"bid": "998877660", "sending": ["einvoice", "print"]}

    def test_an_unknown_company_gets_print(self, sandbox, token):
        response = self.endpoints(sandbox, token, **{"business_ids[]": "0000000-0"})

        assert response.json() == {"bid": "0000000-0", "sending": ["print"]}

    def test_nothing_where_maventa_does_not_print(self, sandbox, token):
        params = {"business_ids[]": "DE123", "country": "DE", "sending[]": "invoice"}

        assert self.endpoints(sandbox, token, **params).json()["sending"] == []

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"business_ids[]": [str(n) for n in range(11)]},
            {"business_ids[]": "1", "sending[]": "order"},
            {"business_ids[]": "1", "country": "Finland"},
        ],
    )
    def test_refused(self, sandbox, token, params):
        assert self.endpoints(sandbox, token, **params).status_code == HTTPStatus.BAD_REQUEST


def test_operators(sandbox, token):
    response = ax_call(sandbox, "GET", "/v1/entities/operators", token)

    assert response.status_code == HTTPStatus.OK
    operators = {o["operator_id"]: o for o in response.json()}
    assert operators["003721291126"] == {
        "operator_id": "003721291126",
        "name": "Maventa",
        "country": "FI",
    }
