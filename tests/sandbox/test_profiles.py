"""POST /v1/company/profiles: the answer's shape, the endpoint it resolves, and Maventa's rules."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from maventa_portal.sandbox.profile_rules import VISMA_FIRST
from tests.sandbox.conftest import ax_call, company_token

pytestmark = pytest.mark.sandbox

INVOICES = ["INVOICE_AND_CREDIT_NOTE"]


def register(sandbox, token, **body):
    return ax_call(sandbox, "POST", "/v1/company/profiles", token, json=body)


def registered(sandbox, token, **body) -> dict:
    response = register(sandbox, token, **body)
    assert response.status_code == HTTPStatus.CREATED, response.text
    return response.json()


def refused(response, code: str = "profile_not_supported") -> str:
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, response.text
    assert response.json()["code"] == code
    return response.json()["message"]


def token_of(sandbox, name: str, bid: str, country: str, **kw) -> str:
    return company_token(sandbox, sandbox.create_company(name=name, bid=bid, country=country, **kw))


@pytest.fixture
def visma(sandbox, token) -> dict:
    return registered(sandbox, token, network="VISMA", profiles=INVOICES)


def test_visma_registration_answers_201_pending_with_the_visma_address(sandbox, token):
    body = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    assert body.pop("id")
    assert body == {
        "status": "pending",
        "profile": "INVOICE_AND_CREDIT_NOTE",
        "profiles": INVOICES,
        "endpoint_id": "003712345671",
        "scheme": "V154",
        "network": "VISMA",
    }


@pytest.mark.parametrize(
    ("country", "bid", "endpoint_id", "scheme"),
    [
        ("FI", "1234567-1", "003712345671", "0216"),
        ("NO", "923456789", "923456789", "0192"),
        ("SE", "5566778899", "5566778899", "0007"),
        ("DK", "12345678", "12345678", "0182"),
        ("NL", "87654321", "87654321", "0106"),
        # Held through the control API only: POST /v1/companies creates no German company.
        ("DE", "DE811569869", "811569869", "9930"),
    ],
)
def test_peppol_is_the_default_network_with_the_countrys_scheme(
    sandbox, country, bid, endpoint_id, scheme
):
    token = token_of(sandbox, "Maa Oy", bid, country)
    registered(sandbox, token, network="VISMA", profiles=INVOICES)

    body = registered(sandbox, token, profiles=INVOICES)

    assert (body["network"], body["endpoint_id"], body["scheme"]) == ("PEPPOL", endpoint_id, scheme)


def test_visma_address_outside_finland_is_the_bid_digits(sandbox):
    token = token_of(sandbox, "Norsk AS", "NO923456789MVA", "NO")

    body = registered(sandbox, token, network="VISMA", profiles=INVOICES)

    assert (body["endpoint_id"], body["scheme"]) == ("923456789", "V154")


def test_explicit_identifiers_settings_and_version_are_kept(sandbox, token, visma):
    body = registered(
        sandbox,
        token,
        profiles=["ORDER", "ORDER_RESPONSE"],
        profile_version="PEPPOLBIS30",
        endpoint_id="0037123456710",
        scheme="0037",
        network_settings={"alias": "orders"},
    )

    assert body["profile"] == "ORDER"
    assert body["profiles"] == ["ORDER", "ORDER_RESPONSE"]
    assert body["profile_version"] == "PEPPOLBIS30"
    assert (body["endpoint_id"], body["scheme"]) == ("0037123456710", "0037")
    assert body["network_settings"] == {"alias": "orders"}


@pytest.mark.parametrize(
    "body",
    [
        {"network": "FAX", "profiles": INVOICES},
        {"network": "VISMA"},
        {"network": "VISMA", "profiles": "INVOICE_AND_CREDIT_NOTE"},
        {"network": "VISMA", "profiles": INVOICES, "network_settings": "x"},
        {"network": "VISMA", "profiles": INVOICES, "profile_version": 30},
    ],
)
def test_malformed_requests_answer_400(sandbox, token, body):
    response = register(sandbox, token, **body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_parameters"


def test_receivables_network_points_to_the_services_endpoint(sandbox, token):
    message = refused(register(sandbox, token, network="RECEIVABLES", profiles=INVOICES))

    assert "PUT /v1/services/receivables" in message


def test_aisproom_is_internal(sandbox, token):
    assert "internal" in refused(register(sandbox, token, network="AISPROOM", profiles=INVOICES))


@pytest.mark.parametrize("network", ["INEXCHANGE", "NEMHANDEL"])
def test_agreement_networks_need_the_agreement(sandbox, company, token, visma, network):
    assert "agreement" in refused(register(sandbox, token, network=network, profiles=INVOICES))

    sandbox.set_company(company["company_id"], agreement_networks=[network])

    assert registered(sandbox, token, network=network, profiles=INVOICES)["network"] == network


def test_bank_is_for_finnish_companies_only(sandbox, token):
    swedish = token_of(sandbox, "Svensk AB", "5566778899", "SE")

    assert "Finnish" in refused(register(sandbox, swedish, network="BANK", profiles=INVOICES))
    assert registered(sandbox, token, network="BANK", profiles=INVOICES)["status"] == "pending"


@pytest.mark.parametrize("network", ["PEPPOL", "SCAN", "SCAN_DOCUMENTS", "VISMASCANNER"])
def test_receiving_networks_need_visma_invoice_receiving_first(sandbox, token, network):
    profiles = ["VOUCHER"] if network in {"SCAN_DOCUMENTS", "VISMASCANNER"} else INVOICES

    assert refused(register(sandbox, token, network=network, profiles=profiles)) == VISMA_FIRST

    registered(sandbox, token, network="VISMA", profiles=INVOICES)
    assert registered(sandbox, token, network=network, profiles=profiles)["status"] == "pending"


def test_visma_in_error_does_not_count_as_enabled(sandbox, token, visma):
    sandbox.set_profile(visma["id"], status="error")

    assert refused(register(sandbox, token, profiles=INVOICES)) == VISMA_FIRST


def test_visma_for_orders_only_does_not_count_as_invoice_receiving(sandbox, token):
    registered(sandbox, token, network="VISMA", profiles=["ORDER"], profile_version="PEPPOLBIS30")

    assert refused(register(sandbox, token, profiles=INVOICES)) == VISMA_FIRST


def test_unverified_company_may_register(sandbox):
    token = token_of(sandbox, "Odottava Oy", "7654321-2", "FI", company_state="UNVERIFIED")

    assert registered(sandbox, token, network="VISMA", profiles=INVOICES)["status"] == "pending"


@pytest.mark.parametrize("profile", ["INVOICE", "CREDIT_NOTE"])
def test_deprecated_invoice_profiles_are_refused(sandbox, token, visma, profile):
    message = refused(register(sandbox, token, profiles=[profile]))

    assert "deprecated: use INVOICE_AND_CREDIT_NOTE" in message


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ({"profiles": ["ORDER"]}, "needs profile_version"),
        ({"profiles": ["ORDER"], "profile_version": "UBL21"}, "UBL21"),
        ({"profiles": ["INVOICE_RESPONSE"], "profile_version": "EHF30"}, "EHF30"),
        ({"profiles": ["ORDER"], "profile_version": "EHF30", "scheme": "9930"}, "market DE"),
        ({"profiles": ["ODER"], "profile_version": "PEPPOLBIS30"}, "ODER"),
        ({"profiles": ["VOUCHER"]}, "VOUCHER"),
    ],
)
def test_peppol_profile_table_refusals(sandbox, token, visma, body, hint):
    assert hint in refused(register(sandbox, token, **body))


@pytest.mark.parametrize(
    "body",
    [
        {"profiles": ["ORDER", "DESPATCH_ADVICE"], "profile_version": "EHF30"},
        {"profiles": ["CATALOGUE", "REMINDER"], "profile_version": "PEPPOLBIS30"},
        {
            "profiles": ["INVOICE_RESPONSE", "MESSAGE_LEVEL_RESPONSE"],
            "profile_version": "PEPPOLBIS30",
        },
        {"profiles": ["INVOICE_RESPONSE"], "profile_version": "PEPPOLBIS30", "scheme": "0208"},
        {"profiles": INVOICES, "profile_version": "PEPPOLBIS30"},
    ],
)
def test_peppol_profile_table_acceptances(sandbox, token, visma, body):
    assert registered(sandbox, token, **body)["profiles"] == body["profiles"]


# Each network registers its own profiles; VISMA follows the Peppol table, versions and
# markets included (tests/contract/test_profile_rules_agree.py holds the portal to the same).
@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ({"network": "VISMA", "profiles": ["ORDER"]}, "needs profile_version"),
        ({"network": "VISMA", "profiles": ["VOUCHER"]}, "not a VISMA profile"),
        (
            {"network": "BANK", "profiles": ["ORDER"], "profile_version": "PEPPOLBIS30"},
            "not a BANK profile",
        ),
        ({"network": "SCAN", "profiles": ["VOUCHER"]}, "not a SCAN profile"),
        ({"network": "SCAN_DOCUMENTS", "profiles": ["RECEIPT"]}, "RECEIPT"),
        ({"network": "VISMASCANNER", "profiles": INVOICES}, "INVOICE_AND_CREDIT_NOTE"),
    ],
)
def test_networks_refuse_the_profiles_of_others(sandbox, token, visma, body, hint):
    assert hint in refused(register(sandbox, token, **body))


def test_visma_takes_versioned_profiles_in_the_companys_market_whatever_the_scheme(sandbox, token):
    german = token_of(sandbox, "Deutsch GmbH", "DE811569869", "DE")

    body = registered(
        sandbox, token, network="VISMA", profiles=["ORDER"], profile_version="EHF30", scheme="V154"
    )
    message = refused(
        register(sandbox, german, network="VISMA", profiles=["REMINDER"], profile_version="EHF30")
    )

    assert (body["profiles"], body["scheme"]) == (["ORDER"], "V154")
    assert "market DE" in message


def test_agreement_networks_follow_the_peppol_table(sandbox, company, token, visma):
    sandbox.set_company(company["company_id"], agreement_networks=["INEXCHANGE"])

    assert "not a INEXCHANGE profile" in refused(
        register(sandbox, token, network="INEXCHANGE", profiles=["VOUCHER"])
    )
    assert registered(
        sandbox, token, network="INEXCHANGE", profiles=["ORDER"], profile_version="PEPPOLBIS30"
    )["profiles"] == ["ORDER"]


def test_a_live_profile_cannot_be_registered_twice_in_a_network(sandbox, token, visma):
    first = registered(sandbox, token, profiles=INVOICES)

    message = refused(register(sandbox, token, profiles=INVOICES), "profile_name_conflict")
    assert "INVOICE_AND_CREDIT_NOTE" in message
    refused(
        register(sandbox, token, profiles=["ORDER", *INVOICES], profile_version="EHF30"),
        "profile_name_conflict",
    )
    assert registered(sandbox, token, profiles=["ORDER"], profile_version="EHF30")

    sandbox.set_profile(first["id"], status="error")
    assert registered(sandbox, token, profiles=INVOICES)["status"] == "pending"


def test_scan_documents_and_vismascanner_are_one_network(sandbox, token, visma):
    registered(sandbox, token, network="SCAN_DOCUMENTS", profiles=["VOUCHER"])

    refused(
        register(sandbox, token, network="VISMASCANNER", profiles=["VOUCHER"]),
        "profile_name_conflict",
    )


def test_an_endpoint_of_another_business_id_is_refused(sandbox, token, visma):
    response = register(sandbox, token, profiles=INVOICES, endpoint_id="003799999999")

    refused(response, "profile_eia_bid_conflict")


def test_an_endpoint_used_by_another_company_conflicts(sandbox, token, visma):
    registered(sandbox, token, profiles=INVOICES)
    # 12345671 is this Norwegian company's number and sits inside the Finnish one's address.
    other = token_of(sandbox, "Kopi AS", "12345671", "NO")
    registered(sandbox, other, network="VISMA", profiles=INVOICES)

    response = register(sandbox, other, profiles=INVOICES, endpoint_id="003712345671")

    refused(response, "profile_eia_conflict")


def test_registering_needs_company_write(sandbox, company):
    read_only = company_token(sandbox, company, scope="company:read")

    response = register(sandbox, read_only, network="VISMA", profiles=INVOICES)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert register(sandbox, None, network="VISMA").status_code == HTTPStatus.UNAUTHORIZED
