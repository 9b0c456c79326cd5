"""Admin changelists cost the same number of queries for 10 rows as for 100."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maventa_portal.core.audit import Actor, record
from maventa_portal.core.bulk.runs import ItemSpec, start_run
from tests.factories import CompanyFactory, NetworkProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _companies(n: int) -> None:
    CompanyFactory.create_batch(n)


def _profiles(n: int) -> None:
    NetworkProfileFactory.create_batch(n)


def _audit(n: int) -> None:
    user = UserFactory(staff=True)
    for company in CompanyFactory.create_batch(n):
        record(actor=Actor(user=user), event="company.refresh", target=company)


def _runs(n: int) -> None:
    company = CompanyFactory()
    for _ in range(n):
        start_run(
            kind="companies.register_profiles",
            options={"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
            items=[ItemSpec(object_id=company.pk)],
            actor=Actor(user=UserFactory(staff=True)),
        )


CHANGELISTS = [
    ("admin:companies_company_changelist", _companies),
    ("admin:companies_networkprofile_changelist", _profiles),
    ("admin:core_auditentry_changelist", _audit),
    ("admin:core_bulkrun_changelist", _runs),
]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize(("name", "make"), CHANGELISTS)
def test_changelist_queries_do_not_grow_with_its_rows(admin_client, name, make):
    url = reverse(name)
    make(10)
    with_ten = _queries(admin_client, url)

    make(90)
    with_hundred = _queries(admin_client, url)

    assert with_ten == with_hundred
