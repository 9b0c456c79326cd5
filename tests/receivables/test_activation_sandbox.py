"""Receivables activation through the client against the sandbox: on, read back, off."""

from __future__ import annotations

from companies.access import company_api
from maventa_portal.maventa_api import receivables
from tests.maventa_api.test_receivables import FIELDS


def test_activation_is_read_back_with_the_collection_account_and_can_be_disabled(
    sandbox, make_company
):
    api = company_api(make_company(), scope=receivables.SCOPE)

    receivables.activate(api, **FIELDS)
    state = receivables.get_activation(api)
    receivables.deactivate(api)

    assert state.status == "ACTIVE"
    assert state.iban.replace(" ", "") == FIELDS["iban"].replace(" ", "")
    assert state.vfsfi is not None
    assert receivables.get_activation(api).status != "ACTIVE"
