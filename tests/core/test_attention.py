"""The needs-attention queue: each kind lists its items, links to where they are fixed, and
drops them once fixed; kinds follow view permissions; the page's cost does not grow."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maventa_portal.core import attention
from tests.factories import (
    BulkItemFactory,
    BulkRunFactory,
    CompanyFactory,
    DocumentFactory,
    MessageThreadFactory,
    NetworkProfileFactory,
    PrintBatchFactory,
    SentInvoiceFactory,
    UserFactory,
    WebhookEventFactory,
)

pytestmark = pytest.mark.django_db

URL = "/portal/attention/"
LONG_AGO = dt.timedelta(days=10)


def _ago(delta=LONG_AGO):
    return timezone.now() - delta


# Each kind: how to make one item of it, and how to fix it (state changes only, as the
# services that fix them make them).
def make_failed_invoice():
    return SentInvoiceFactory(status="FAILED", status_changed_at=_ago())


def fix_failed_invoice(invoice):
    invoice.status = "DELIVERED"
    invoice.save()


def make_failed_document():
    return DocumentFactory(status="FAILED", status_changed_at=_ago())


def fix_failed_document(document):
    document.status = "DELIVERED"
    document.save()


def make_unknown_invoice():
    return SentInvoiceFactory(status="UNKNOWN", status_changed_at=_ago())


def fix_unknown_invoice(invoice):
    invoice.status = "PENDING"  # found again at Maventa by its send_uuid
    invoice.save()


def make_unknown_document():
    return DocumentFactory(status="UNKNOWN", status_changed_at=_ago())


def fix_unknown_document(document):
    document.status = "PROCESSING"
    document.save()


def make_webhook_event():
    return WebhookEventFactory(state="FAILED", received_at=_ago())


def fix_webhook_event(event):
    event.state = "PROCESSED"
    event.save()


def make_print_batch():
    return PrintBatchFactory(status="FAILED", final=True)


def fix_print_batch(batch):
    # Sent again once fixed: the same package, taken by Maventa.
    PrintBatchFactory(company=batch.company, checksum=batch.checksum, status="ACCEPTED")


def make_unread_thread():
    return MessageThreadFactory(unread_count=2, last_message_at=_ago())


def fix_unread_thread(thread):
    thread.unread_count = 0
    thread.save()


def make_unverified_company():
    return CompanyFactory(company_state="UNVERIFIED", state_changed_at=_ago())


def fix_unverified_company(company):
    company.company_state = "VERIFIED"
    company.save()


def make_pending_profile():
    return NetworkProfileFactory(status="pending", status_changed_at=_ago())


def fix_pending_profile(profile):
    profile.status = "active"
    profile.save()


def make_failed_run():
    item = BulkItemFactory(status="failed", message="Maventa refused")
    return item.run


def fix_failed_run(run):
    # Retried: the failed items went back to pending and then succeeded.
    run.items.filter(status="failed").update(status="done", message="")


KINDS = {
    "failed_invoices": (make_failed_invoice, fix_failed_invoice, "exchange.view_invoice"),
    "failed_documents": (make_failed_document, fix_failed_document, "exchange.view_document"),
    "unknown_invoices": (make_unknown_invoice, fix_unknown_invoice, "exchange.view_invoice"),
    "unknown_documents": (make_unknown_document, fix_unknown_document, "exchange.view_document"),
    "webhook_events": (make_webhook_event, fix_webhook_event, "exchange.view_webhookevent"),
    "print_batches": (make_print_batch, fix_print_batch, "exchange.view_printbatch"),
    "unread_threads": (
        make_unread_thread,
        fix_unread_thread,
        "receivables.view_messagethread",
    ),
    "unverified_companies": (
        make_unverified_company,
        fix_unverified_company,
        "companies.view_company",
    ),
    "pending_profiles": (
        make_pending_profile,
        fix_pending_profile,
        "companies.view_networkprofile",
    ),
    "bulk_runs": (make_failed_run, fix_failed_run, "core.view_bulkrun"),
}


def _groups(user) -> dict[str, attention.AttentionGroup]:
    return {group.kind.key: group for group in attention.queue(user)}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_kind_is_offered_by_a_hook_module():
    assert {kind.key for kind in attention.all_kinds()} == set(KINDS)


@pytest.mark.parametrize("key", sorted(KINDS))
def test_an_item_is_listed_with_a_working_link_and_leaves_once_fixed(key):
    make, fix, _ = KINDS[key]
    admin = UserFactory(superuser=True)
    client = _client(admin)
    obj = make()

    groups = _groups(admin)
    assert set(groups) == {key}
    assert groups[key].count == 1
    (item,) = groups[key].items
    assert item.since is not None
    assert client.get(item.url).status_code == HTTPStatus.OK
    page = client.get(URL)
    assert page.status_code == HTTPStatus.OK
    assert f'href="{item.url}"' in page.content.decode()
    assert attention.attention_count(admin) == 1

    fix(obj)

    assert _groups(admin) == {}
    assert attention.attention_count(admin) == 0
    assert "Nothing needs attention." in client.get(URL).content.decode()


def test_a_failed_invoice_rerouted_leaves_before_its_status_catches_up():
    from exchange.models import InvoiceAction

    admin = UserFactory(superuser=True)
    invoice = make_failed_invoice()
    InvoiceAction.objects.create(
        invoice=invoice, type="ERROR", happened_at=invoice.status_changed_at
    )
    assert _groups(admin)["failed_invoices"].count == 1

    InvoiceAction.objects.create(invoice=invoice, type="SENT", happened_at=timezone.now())

    assert "failed_invoices" not in _groups(admin)


def test_a_run_whose_failed_items_became_a_new_run_leaves():
    admin = UserFactory(superuser=True)
    run = make_failed_run()
    assert "bulk_runs" in _groups(admin)

    BulkRunFactory(parent=run, kind=run.kind)

    assert "bulk_runs" not in _groups(admin)


def test_a_print_batch_without_an_answer_waits_in_the_queue():
    admin = UserFactory(superuser=True)
    batch = PrintBatchFactory(status="UNKNOWN")
    assert _groups(admin)["print_batches"].items[0].url.endswith(f"/print/{batch.pk}/")

    batch.status = "ACCEPTED"
    batch.save()

    assert _groups(admin) == {}


def test_only_what_waits_longer_than_usual_is_listed():
    admin = UserFactory(superuser=True)
    CompanyFactory(company_state="UNVERIFIED", state_changed_at=_ago(dt.timedelta(hours=5)))
    NetworkProfileFactory(status="pending", status_changed_at=_ago(dt.timedelta(days=1)))
    # A failure already delivered, a received invoice and a processed event are nothing to do.
    SentInvoiceFactory(status="DELIVERED")
    SentInvoiceFactory(status="FAILED", direction="RECEIVED")
    WebhookEventFactory(state="PROCESSED")

    assert _groups(admin) == {}


def test_items_are_oldest_first_within_a_kind():
    admin = UserFactory(superuser=True)
    newer = SentInvoiceFactory(status="FAILED", status_changed_at=_ago(dt.timedelta(days=1)))
    older = SentInvoiceFactory(status="FAILED", status_changed_at=_ago(dt.timedelta(days=5)))

    urls = [item.url for item in _groups(admin)["failed_invoices"].items]

    assert urls == [
        reverse("exchange:detail", args=[older.pk]),
        reverse("exchange:detail", args=[newer.pk]),
    ]


def test_a_viewer_sees_every_kind(viewer_client, viewer):
    for make, _, _ in KINDS.values():
        make()

    page = viewer_client.get(URL)

    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    for key in KINDS:
        assert f'data-kind="{key}"' in body
    assert attention.attention_count(viewer) == len(KINDS)


@pytest.mark.parametrize("key", sorted(KINDS))
def test_a_kind_is_hidden_without_its_models_view_permission(key):
    for make, _, _ in KINDS.values():
        make()
    permission = KINDS[key][2]
    app_label, _, codename = permission.partition(".")
    user = UserFactory(staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )

    body = _client(user).get(URL).content.decode()

    # The other kind reading the same model shows too; every other kind is hidden.
    same_model = {k for k, spec in KINDS.items() if spec[2] == permission}
    for other in KINDS:
        assert (f'data-kind="{other}"' in body) == (other in same_model)
    assert attention.attention_count(user) == len(same_model)


def test_a_staff_user_without_view_permissions_sees_an_empty_queue():
    for make, _, _ in KINDS.values():
        make()
    user = UserFactory(staff=True)

    page = _client(user).get(URL)

    assert page.status_code == HTTPStatus.OK
    assert "Nothing needs attention." in page.content.decode()
    assert attention.attention_count(user) == 0


def test_a_user_who_is_not_staff_is_refused():
    make_failed_invoice()
    user = UserFactory()

    assert _client(user).get(URL).status_code == HTTPStatus.FORBIDDEN
    assert attention.attention_count(user) == 0


def test_a_capped_group_says_how_many_more_and_links_to_the_list():
    admin = UserFactory(superuser=True)
    company = CompanyFactory()
    shown = attention.SHOWN_PER_KIND
    SentInvoiceFactory.create_batch(
        shown + 7, company=company, status="FAILED", status_changed_at=_ago()
    )
    client = _client(admin)

    body = client.get(URL).content.decode()

    group = _groups(admin)["failed_invoices"]
    assert group.count == shown + 7
    assert len(group.items) == shown
    assert body.count('class="attention-item"') == shown
    assert ">and 7 more</a>" in body
    more = group.more_url
    assert f'href="{more.replace("&", "&amp;")}"' in body
    changelist = client.get(more)
    assert changelist.status_code == HTTPStatus.OK
    assert changelist.context["cl"].result_count == shown + 7


def _fill(per_kind: int) -> None:
    for make, _, _ in KINDS.values():
        for _ in range(per_kind):
            make()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == HTTPStatus.OK
    return len(queries)


def test_the_page_costs_the_same_queries_for_10_and_100_items_of_every_kind():
    client = _client(UserFactory(superuser=True))
    _fill(10)
    with_ten = _queries(client)

    _fill(90)
    with_hundred = _queries(client)

    assert with_hundred == with_ten
    body = client.get(URL).content.decode()
    assert body.count(f">and {100 - attention.SHOWN_PER_KIND} more</a>") == len(KINDS)


def test_the_header_links_to_the_queue(viewer_client):
    body = viewer_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{URL}" id="header-attention">Needs attention</a>' in body


@pytest.mark.parametrize("key", sorted(KINDS))
def test_each_kinds_full_list_opens_and_holds_its_item(key):
    make, _, _ = KINDS[key]
    admin = UserFactory(superuser=True)
    make()
    group = _groups(admin)[key]

    page = _client(admin).get(group.more_url)

    assert page.status_code == HTTPStatus.OK
    if page.context.get("cl") is not None:  # an admin changelist, filtered to the kind
        assert page.context["cl"].result_count == 1
