"""Every rule of profile registration (API.md "Network profiles"), as a table."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from companies.profile_rules import (
    Plan,
    RegistrationRefused,
    Step,
    default_profile_version,
    expected_scheme,
    plan_registration,
)
from tests.factories import CompanyFactory, UserFactory

VISMA_LIVE = {("VISMA", "INVOICE_AND_CREDIT_NOTE")}


def plan(**overrides):
    arguments = {
        "company_name": "Acme",
        "country": "FI",
        "network": "PEPPOL",
        "profiles": ["INVOICE_AND_CREDIT_NOTE"],
        "profile_version": "",
        "live": VISMA_LIVE,
    }
    arguments.update(overrides)
    return plan_registration(**arguments)


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        (
            {"live": set()},
            "visma_first",
            "VISMA invoice receiving must be registered before PEPPOL",
        ),
        (
            {"network": "SCAN", "profiles": ["INVOICE_AND_CREDIT_NOTE"], "live": set()},
            "visma_first",
            "before SCAN",
        ),
        (
            {"profiles": ["ORDER"]},
            "version_required",
            "ORDER needs a profile version: PEPPOLBIS30 or EHF30",
        ),
        (
            {"profiles": ["INVOICE_RESPONSE"], "profile_version": "EHF30"},
            "version_not_offered",
            "offered as PEPPOLBIS30, not EHF30",
        ),
        (
            {"profiles": ["ORDER"], "profile_version": "PEPPOLBIS20"},
            "version_not_offered",
            "not PEPPOLBIS20",
        ),
        (
            {"profiles": ["ORDER"], "profile_version": "PEPPOLBIS30", "country": "BE"},
            "market_not_offered",
            "not offered for companies in BE",
        ),
        (
            {"profiles": ["DESPATCH_ADVICE"], "profile_version": "EHF30", "country": "DE"},
            "market_not_offered",
            "not offered for companies in DE",
        ),
        ({"profiles": ["INVOICE"]}, "deprecated_profile", "use INVOICE_AND_CREDIT_NOTE"),
        ({"profiles": ["CREDIT_NOTE"]}, "deprecated_profile", "use INVOICE_AND_CREDIT_NOTE"),
        ({"profiles": ["VOUCHER"]}, "unknown_profile", "register it in SCAN_DOCUMENTS"),
        (
            {"profiles": ["INVOICE_AND_CREDIT_NOTE"], "profile_version": "UBL21"},
            "version_not_offered",
            "offered as PEPPOLBIS30 or EHF30, not UBL21",
        ),
        ({"profiles": []}, "no_profiles", "at least one profile"),
        ({"network": "RECEIVABLES"}, "receivables_deprecated", "Receivables page"),
        ({"network": "AISPROOM"}, "internal_network", "internal use only"),
        ({"network": "INEXCHANGE"}, "agreement_needed", "separate agreement"),
        ({"network": "NEMHANDEL"}, "agreement_needed", "MAVENTA_AGREEMENT_NETWORKS"),
        ({"network": "BANK", "country": "SE"}, "bank_fi_only", "Finnish companies only"),
        (
            {"extensions": ["GACCOUNT10"], "country": "SE"},
            "extension_market",
            "Dutch companies only",
        ),
        ({"network": "NOPE"}, "unknown_network", "not a Maventa network"),
    ],
)
def test_rule_refuses_before_any_call(overrides, code, message):
    with pytest.raises(RegistrationRefused) as caught:
        plan(**overrides)

    assert caught.value.code == code
    assert message in caught.value.staff_message


# The rules that once differed from the sandbox's (tests/contract/test_profile_rules_agree.py).
@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        (
            {"network": "BANK", "profiles": ["ORDER"], "profile_version": "PEPPOLBIS30"},
            "unknown_profile",
            "BANK does not register ORDER: register it in VISMA or PEPPOL.",
        ),
        (
            {"network": "SCAN", "profiles": ["VOUCHER"]},
            "unknown_profile",
            "SCAN does not register VOUCHER: register it in SCAN_DOCUMENTS.",
        ),
        (
            {"network": "SCAN_DOCUMENTS", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
            "unknown_profile",
            "SCAN_DOCUMENTS does not register INVOICE_AND_CREDIT_NOTE: "
            "register it in VISMA, PEPPOL, BANK or SCAN.",
        ),
        (
            {"network": "VISMASCANNER", "profiles": ["RECEIPT"]},
            "unknown_profile",
            "RECEIPT is not a profile Maventa registers in VISMASCANNER (VOUCHER).",
        ),
        (
            {"network": "VISMA", "profiles": ["VOUCHER"], "live": set()},
            "unknown_profile",
            "VISMA does not register VOUCHER: register it in SCAN_DOCUMENTS.",
        ),
        (
            {
                "network": "NEMHANDEL",
                "profiles": ["VOUCHER"],
                "enabled_agreement_networks": ["NEMHANDEL"],
            },
            "unknown_profile",
            "NEMHANDEL does not register VOUCHER",
        ),
        (
            {"network": "VISMA", "profiles": ["ORDER"], "live": set()},
            "version_required",
            "ORDER needs a profile version: PEPPOLBIS30 or EHF30.",
        ),
        (
            {
                "network": "VISMA",
                "profiles": ["REMINDER"],
                "profile_version": "EHF30",
                "country": "DE",
            },
            "market_not_offered",
            "REMINDER is not offered for companies in DE (only DK, FI, NL, NO, SE).",
        ),
    ],
)
def test_each_network_registers_its_own_profiles(overrides, code, message):
    with pytest.raises(RegistrationRefused) as caught:
        plan(**overrides)

    assert caught.value.code == code
    assert message in caught.value.staff_message


def test_agreement_networks_are_suggested_only_once_agreed():
    refused = {}
    for enabled in ([], ["INEXCHANGE"]):
        with pytest.raises(RegistrationRefused) as caught:
            plan(network="BANK", profiles=["ORDER"], enabled_agreement_networks=enabled)
        refused[tuple(enabled)] = caught.value.staff_message

    assert refused[()].endswith("register it in VISMA or PEPPOL.")
    assert refused[("INEXCHANGE",)].endswith("register it in VISMA, PEPPOL or INEXCHANGE.")


@pytest.mark.parametrize("network", ["BANK", "SCAN"])
def test_networks_without_versions_take_invoices_and_send_no_version(network):
    result = plan(network=network, profile_version="EHF30")

    assert result.steps == (Step(network, ("INVOICE_AND_CREDIT_NOTE",)),)


@pytest.mark.parametrize(
    ("live_network", "asked_network"),
    [("VISMASCANNER", "SCAN_DOCUMENTS"), ("SCAN_DOCUMENTS", "VISMASCANNER")],
)
def test_scan_documents_and_vismascanner_are_one_network(live_network, asked_network):
    result = plan(
        network=asked_network, profiles=["VOUCHER"], live=VISMA_LIVE | {(live_network, "VOUCHER")}
    )

    assert result == Plan(steps=(), already=("VOUCHER",))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("network", "profiles", "advice"),
    [
        ("BANK", ["ORDER"], "BANK does not register ORDER: register it in VISMA or PEPPOL."),
        (
            "SCAN_DOCUMENTS",
            ["INVOICE_AND_CREDIT_NOTE"],
            "register it in VISMA, PEPPOL, BANK or SCAN.",
        ),
        ("PEPPOL", ["VOUCHER"], "PEPPOL does not register VOUCHER: register it in SCAN_DOCUMENTS."),
    ],
)
def test_the_registration_form_tells_staff_where_a_profile_belongs(
    client, network, profiles, advice
):
    # No stored key: the rules refuse before the portal could reach Maventa.
    company = CompanyFactory(verified=True)
    client.force_login(UserFactory(superuser=True))

    response = client.post(
        reverse("companies:register", args=[company.pk]),
        {"network": network, "profiles": profiles, "profile_version": "PEPPOLBIS30"},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert advice in response.content.decode()
    assert not company.profiles.exists()


def test_visma_refusal_offers_to_register_both():
    with pytest.raises(RegistrationRefused) as caught:
        plan(live=set())

    assert caught.value.offer == "include_visma"


def test_include_visma_registers_visma_then_peppol():
    result = plan(live=set(), include_visma=True)

    assert result.steps == (
        Step("VISMA", ("INVOICE_AND_CREDIT_NOTE",)),
        Step("PEPPOL", ("INVOICE_AND_CREDIT_NOTE",)),
    )


@pytest.mark.parametrize(
    ("overrides", "steps"),
    [
        ({}, (Step("PEPPOL", ("INVOICE_AND_CREDIT_NOTE",)),)),
        (
            {
                "profiles": ["ORDER", "INVOICE_RESPONSE"],
                "profile_version": "PEPPOLBIS30",
                "country": "NL",
            },
            (Step("PEPPOL", ("ORDER", "INVOICE_RESPONSE"), "PEPPOLBIS30"),),
        ),
        (
            {
                "profiles": ["MESSAGE_LEVEL_RESPONSE"],
                "profile_version": "PEPPOLBIS30",
                "country": "BE",
            },
            (Step("PEPPOL", ("MESSAGE_LEVEL_RESPONSE",), "PEPPOLBIS30"),),
        ),
        (
            {"profiles": ["ORDER"], "profile_version": "EHF30", "country": "NO"},
            (Step("PEPPOL", ("ORDER",), "EHF30"),),
        ),
        ({"network": "BANK", "live": set()}, (Step("BANK", ("INVOICE_AND_CREDIT_NOTE",)),)),
        ({"network": "VISMA", "live": set()}, (Step("VISMA", ("INVOICE_AND_CREDIT_NOTE",)),)),
        (
            {"network": "VISMA", "profiles": ["ORDER"], "profile_version": "EHF30", "live": set()},
            (Step("VISMA", ("ORDER",), "EHF30"),),
        ),
        (
            {
                "network": "NEMHANDEL",
                "profiles": ["ORDER"],
                "profile_version": "PEPPOLBIS30",
                "country": "DK",
                "enabled_agreement_networks": ["NEMHANDEL"],
            },
            (Step("NEMHANDEL", ("ORDER",), "PEPPOLBIS30"),),
        ),
        (
            {"network": "INEXCHANGE", "enabled_agreement_networks": ["INEXCHANGE"]},
            (Step("INEXCHANGE", ("INVOICE_AND_CREDIT_NOTE",)),),
        ),
        (
            {"extensions": ["GACCOUNT10"], "country": "NL"},
            (Step("PEPPOL", ("INVOICE_AND_CREDIT_NOTE",)),),
        ),
        (
            {"network": "SCAN_DOCUMENTS", "profiles": ["VOUCHER"]},
            (Step("SCAN_DOCUMENTS", ("VOUCHER",)),),
        ),
    ],
)
def test_allowed_registrations_are_planned(overrides, steps):
    assert plan(**overrides).steps == steps


def test_already_live_profiles_are_left_out():
    live = VISMA_LIVE | {("PEPPOL", "INVOICE_AND_CREDIT_NOTE")}

    result = plan(
        live=live, profiles=["INVOICE_AND_CREDIT_NOTE", "ORDER"], profile_version="PEPPOLBIS30"
    )

    assert result == Plan(
        steps=(Step("PEPPOL", ("ORDER",), "PEPPOLBIS30"),), already=("INVOICE_AND_CREDIT_NOTE",)
    )


def test_registering_only_what_is_live_plans_nothing():
    result = plan(live=VISMA_LIVE | {("PEPPOL", "INVOICE_AND_CREDIT_NOTE")})

    assert result.steps == ()
    assert result.already == ("INVOICE_AND_CREDIT_NOTE",)


@pytest.mark.parametrize(
    ("country", "version"), [("NO", "EHF30"), ("FI", "PEPPOLBIS30"), ("SE", "PEPPOLBIS30")]
)
def test_default_version_prefers_ehf30_in_norway(country, version):
    assert default_profile_version(country) == version


@pytest.mark.parametrize(
    ("country", "scheme"),
    [
        ("NO", "0192 (NO:ORG)"),
        ("SE", "0007 (SE:ORGNR)"),
        ("FI", "0216 (FI:OVT2)"),
        ("DK", "0182 (DK:DIGST)"),
        ("NL", "0106 (NL:KVK) or 9944 (NL:VAT)"),
        ("DE", "9930 (DE:VAT)"),
    ],
)
def test_expected_peppol_scheme_by_country(country, scheme):
    assert expected_scheme(country) == scheme
