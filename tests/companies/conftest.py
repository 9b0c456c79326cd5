from __future__ import annotations

import itertools

import pytest

from tests.factories import CompanyCredentialFactory, CompanyFactory, valid_bid

_numbers = itertools.count(1)


@pytest.fixture
def make_company(sandbox):
    """A company on both sides: registered in the sandbox, mirrored in the portal with its key."""

    def make(*, country: str = "FI", company_state: str = "VERIFIED", name: str = ""):
        n = next(_numbers)
        bid = valid_bid(country, n * 13)
        name = name or f"{country} Company {n}"
        account = sandbox.create_company(
            name=name, bid=bid, country=country, company_state=company_state
        )
        company = CompanyFactory(
            name=name,
            bid=bid,
            country=country,
            maventa_id=account["company_id"],
            company_state=company_state,
        )
        CompanyCredentialFactory(company=company, api_key=account["api_key"])
        company.refresh_from_db()
        return company

    return make
