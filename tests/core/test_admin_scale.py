"""Changelists and portal lists cost the same number of queries for 10 rows as for 100, and
``seed_load`` makes what it says, only in the sandbox."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.load import loaded_companies
from exchange.models import Document, Invoice, WebhookEvent, WebhookSubscription
from exchange.print_models import PrintBatch
from maventa_portal.core.audit import Actor, record
from maventa_portal.core.bulk.runs import ItemSpec, start_run
from maventa_portal.core.management.commands.seed_load import REFUSED_OUTSIDE_SANDBOX
from receivables.models import Assignment, CreditWithdrawal, Message, MessageThread, ServiceLevel
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

KINDS = ("companies", "documents", "events", "print_batches", "threads", "assignments")


def _load(n: int) -> None:
    """n of every kind seed_load makes, added to what is there (companies: n in all)."""
    call_command("seed_load", invoices=n, **dict.fromkeys(KINDS, n), stdout=_Quiet())


def _loaded(total: int) -> None:
    _load(total - loaded_companies().count())


def _subscriptions(total: int) -> None:
    company = CompanyFactory()
    have = WebhookSubscription.objects.count()
    WebhookSubscription.objects.bulk_create(
        WebhookSubscription(
            maventa_id=f"sub-{n}", destination_type="WEBHOOK", company=company, events=["X.Y.Z"]
        )
        for n in range(have, total)
    )


def _withdrawals(total: int) -> None:
    company, user = CompanyFactory(), UserFactory(staff=True)
    have = CreditWithdrawal.objects.count()
    CreditWithdrawal.objects.bulk_create(
        CreditWithdrawal(
            company=company, amount=Decimal(10), requested_by=user, request_key=f"key-{n}"
        )
        for n in range(have, total)
    )


def _audit(total: int) -> None:
    user = UserFactory(staff=True)
    for company in CompanyFactory.create_batch(total - _audit_count()):
        record(actor=Actor(user=user), event="company.refresh", target=company)


def _audit_count() -> int:
    from maventa_portal.core.models import AuditEntry

    return AuditEntry.objects.filter(event="company.refresh").count()


def _runs(total: int) -> None:
    from maventa_portal.core.models import BulkRun

    company, user = CompanyFactory(), UserFactory(staff=True)
    for _ in range(total - BulkRun.objects.count()):
        start_run(
            kind="companies.register_profiles",
            options={"network": "VISMA", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
            items=[ItemSpec(object_id=company.pk)],
            actor=Actor(user=user),
        )


ADMIN_CHANGELISTS = [
    ("admin:companies_company_changelist", _loaded),
    ("admin:companies_networkprofile_changelist", _loaded),
    ("admin:exchange_invoice_changelist", _loaded),
    ("admin:exchange_document_changelist", _loaded),
    ("admin:exchange_webhookevent_changelist", _loaded),
    ("admin:exchange_webhooksubscription_changelist", _subscriptions),
    ("admin:exchange_printbatch_changelist", _loaded),
    ("admin:receivables_messagethread_changelist", _loaded),
    ("admin:receivables_message_changelist", _loaded),
    ("admin:receivables_assignment_changelist", _loaded),
    ("admin:receivables_servicelevel_changelist", _loaded),
    ("admin:receivables_creditwithdrawal_changelist", _withdrawals),
    ("admin:core_auditentry_changelist", _audit),
    ("admin:core_bulkrun_changelist", _runs),
]
PORTAL_LISTS = [
    "exchange:list",
    "exchange:documents",
    "exchange:print_list",
    "receivables:inbox",
    "receivables:assignments",
]


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize(("name", "make"), ADMIN_CHANGELISTS)
def test_changelist_queries_do_not_grow_with_its_rows(admin_client, name, make):
    url = reverse(name)
    make(10)
    with_ten = _queries(admin_client, url)

    make(100)
    with_hundred = _queries(admin_client, url)

    assert with_ten == with_hundred


@pytest.mark.parametrize("name", PORTAL_LISTS)
def test_portal_list_queries_do_not_grow_with_its_rows(admin_client, name):
    url = reverse(name)
    _loaded(10)
    with_ten = _queries(admin_client, url)

    _loaded(100)
    with_hundred = _queries(admin_client, url)

    assert with_ten == with_hundred


def test_seed_load_makes_what_it_says():
    out = _Text()
    call_command(
        "seed_load", invoices=40, companies=5, documents=6, events=7, print_batches=3,
        threads=4, assignments=8, stdout=out,
    )  # fmt: skip

    companies = loaded_companies()
    assert companies.count() == 5
    assert Invoice.objects.filter(company__in=companies).count() == 40
    assert Document.objects.filter(company__in=companies).count() == 6
    assert WebhookEvent.objects.filter(company__in=companies).count() == 7
    assert PrintBatch.objects.filter(company__in=companies).count() == 3
    assert MessageThread.objects.filter(company__in=companies).count() == 4
    assert Message.objects.filter(thread__company__in=companies).count() == 12
    assert Assignment.objects.filter(company__in=companies).count() == 8
    assert ServiceLevel.objects.filter(company__in=companies).count() == 5
    assert "40 invoices" in out.text
    assert "seed_load done in" in out.text


def test_seed_load_keeps_unread_counts_as_sync_keeps_them():
    _load(30)

    for thread in MessageThread.objects.all():
        unread = thread.messages.filter(author_kind="amili", seen_at__isnull=True).count()
        assert thread.unread_count == unread


def test_seed_load_again_adds_and_reset_clears_first():
    other = CompanyFactory()
    _load(10)
    _load(10)
    assert Invoice.objects.count() == 20
    assert loaded_companies().count() == 10

    call_command("seed_load", invoices=5, companies=2, reset=True, stdout=_Quiet())

    assert loaded_companies().count() == 2
    assert Invoice.objects.count() == 5
    assert CompanyFactory._meta.model.objects.filter(pk=other.pk).exists()


def test_seed_load_is_deterministic():
    _load(10)
    first = list(Invoice.objects.order_by("number").values_list("number", "status", "sum_tax"))
    call_command("seed_load", invoices=10, companies=10, reset=True, stdout=_Quiet())
    again = list(Invoice.objects.order_by("number").values_list("number", "status", "sum_tax"))

    assert first == again


@pytest.mark.parametrize("environment", ["stage", "production"])
def test_seed_load_refuses_outside_the_sandbox(settings, environment):
    settings.MAVENTA_ENV = environment

    with pytest.raises(CommandError) as refused:
        call_command("seed_load", invoices=10, stdout=_Quiet())

    assert str(refused.value) == REFUSED_OUTSIDE_SANDBOX.format(environment=environment)
    assert not Invoice.objects.exists()


class _Text(_Quiet):
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str = "", *args, **kwargs) -> None:
        self.text += text
