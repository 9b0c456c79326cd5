"""The OP Laskulaina client's checks before sending: nothing leaves with a bad IBAN, BIC,
amount or terms, and the body is what FIELDS.md section 9 names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maventa_portal.maventa_api import Invalid
from maventa_portal.maventa_api.ax import op_invoice_credit as op


class Refusing:
    """An Api that fails the test if anything is sent."""

    def request(self, *args, **kwargs):
        raise AssertionError("nothing may be sent")

    get = post = put = request


def test_the_onboarding_body_is_normalised():
    payload = op.activation_payload(
        contact_email=" talous@example.com ",
        iban="fi21 1234 5600 0007 85",
        bic="nordfihh",
        bank="Nordea",
    )

    assert payload == {
        "contact_email": "talous@example.com",
        "iban": "FI2112345600000785",
        "bic": "NORDFIHH",
        "bank": "Nordea",
    }


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"iban": "FI22 1234 5600 0007 85"}, "IBAN"),
        ({"bic": "NDEA"}, "BIC"),
        ({"bank": " "}, "bank"),
    ],
)
def test_bad_onboarding_details_are_refused_before_sending(changes, said):
    fields = {"contact_email": "a@example.com", "iban": "FI2112345600000785"}
    fields |= {"bic": "NDEAFIHH", "bank": "Nordea", **changes}

    with pytest.raises(Invalid) as refused:
        op.activate_op_credit(Refusing(), **fields)

    assert said in refused.value.staff_message
    assert refused.value.status is None


@pytest.mark.parametrize("amount", ["0", "-1", "1.001", "NaN", "Infinity", "lots"])
def test_a_withdrawal_of_no_proper_amount_is_refused_before_sending(amount):
    with pytest.raises(Invalid):
        op.withdraw_credit(Refusing(), amount=amount)


def test_an_amount_goes_as_euros_with_cents():
    assert op.euros(Decimal("120.50")) == 120.5
    assert op.euros("7") == 7.0


@pytest.mark.parametrize(
    "terms",
    [
        {"payment_percent": 0},
        {"payment_percent": 101},
        {"interest_rate": -1},
        {"credit_limit": float("inf")},
        {"credit_limit": "x"},
    ],
)
def test_terms_out_of_range_are_refused_before_sending(terms):
    given = {"b2c_enabled": False, "payment_percent": 100, "interest_rate": 5}
    given |= {"credit_limit": 1000.0, **terms}
    with pytest.raises(Invalid):
        op.accept_op_credit_terms(Refusing(), **given)


def test_a_direct_payment_needs_an_invoice():
    with pytest.raises(Invalid):
        op.pay_directly(Refusing(), invoice_id=" ")
