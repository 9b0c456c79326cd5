"""Every rule of profile registration (API.md "Network profiles"), as a table."""

import pytest

from companies.profile_rules import (
    Plan,
    RegistrationRefused,
    Step,
    default_profile_version,
    expected_scheme,
    plan_registration,
)

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
        ({"profiles": ["VOUCHER"]}, "unknown_profile", "not a Peppol profile"),
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
