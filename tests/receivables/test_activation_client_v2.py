"""The client's newer Amili onboarding against the sandbox: started without an authorization
email, read back with its activation link, the own-invoice-image setting, refusals before any
call."""

from __future__ import annotations

import pytest

from companies.access import company_api
from maventa_portal.maventa_api import amili
from maventa_portal.maventa_api import receivables as rcv
from maventa_portal.maventa_api.errors import Invalid
from tests.maventa_api.test_receivables import FIELDS

WITHOUT_EMAIL = {k: v for k, v in FIELDS.items() if k != "authorization_email"}


def test_started_without_an_email_it_waits_at_its_activation_link(sandbox, make_company):
    api = company_api(make_company(), scope=amili.SCOPE)

    started = amili.activate(api, **WITHOUT_EMAIL)
    state = amili.get_activation(api)

    assert started.status == state.status == "PENDING"
    assert state.activation_url.startswith("http")
    assert state.authorization_email == ""
    assert state.own_invoice_image is False
    # The v1 view of the same service agrees.
    assert rcv.get_activation(api).status == "PENDING"


def test_the_own_invoice_image_setting_is_read_back(sandbox, make_company):
    api = company_api(make_company(), scope=amili.SCOPE)
    amili.activate(api, **FIELDS)

    changed = amili.set_own_invoice_image(api, own_invoice_image=True)

    assert changed.own_invoice_image is True
    assert amili.get_activation(api).own_invoice_image is True


def test_refusals_come_before_any_call(sandbox, make_company):
    api = company_api(make_company(), scope=amili.SCOPE)
    before = sandbox.stats()["requests"]

    with pytest.raises(Invalid):
        amili.activate(api, **{**WITHOUT_EMAIL, "iban": "FI22 1234 5600 0007 85"})
    with pytest.raises(Invalid):
        amili.set_own_invoice_image(api, own_invoice_image="yes")

    assert sandbox.stats()["requests"] == before
