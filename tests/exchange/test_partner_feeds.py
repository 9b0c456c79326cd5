"""The partner feeds read against the sandbox over HTTP (exchange.services.partner_feeds)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exchange.models import Invoice, PartnerFeedState
from exchange.services.partner_feeds import (
    NoPartnerCompany,
    poll_inbound,
    poll_outbound_errors,
)
from tests.exchange.test_status import sent_invoice


@pytest.fixture
def partner(make_company, settings):
    company = make_company(name="Partner Oy")
    settings.MAVENTA_PARTNER_COMPANY_ID = str(company.maventa_id)
    return company


def incoming(sandbox, company, count) -> list[str]:
    since = timezone.now() - timedelta(days=1)
    return [i["id"] for i in sandbox.incoming(str(company.maventa_id), count=count, since=since)]


def stored(company) -> list[str]:
    return sorted(str(i) for i in company.invoices.values_list("maventa_id", flat=True))


def test_received_invoices_of_every_company_arrive_once_and_leave_the_feed(
    sandbox, make_company, partner
):
    first, second = make_company(), make_company()
    made = {first: incoming(sandbox, first, 3), second: incoming(sandbox, second, 2)}

    assert poll_inbound() == {"handled": 5, "failed": 0, "not_ours": 0}

    for company, ids in made.items():
        assert stored(company) == sorted(ids)
        assert all(i.xml for i in company.invoices.all()), "each with its file"
    assert poll_inbound() == {"handled": 0, "failed": 0, "not_ours": 0}, "marked HANDLED"
    assert Invoice.objects.count() == 5


def test_a_company_the_portal_does_not_know_is_counted_and_left_in_the_feed(sandbox, partner):
    stranger = sandbox.create_company(name="Stranger Oy", bid="2660421-6", country="FI")
    sandbox.incoming(stranger["company_id"], count=1)

    assert poll_inbound() == {"handled": 0, "failed": 0, "not_ours": 1}
    assert poll_inbound()["not_ours"] == 1, "still CREATED at Maventa for whoever owns it"
    assert not Invoice.objects.exists()


def test_an_invoice_that_cannot_be_fetched_stays_for_the_next_poll(sandbox, make_company, partner):
    company = make_company()
    incoming(sandbox, company, 2)
    sandbox.script({"path": "/v1/invoices/*", "method": "GET", "status": 500, "times": 20})

    counts = poll_inbound()

    assert counts["handled"] + counts["failed"] == 2
    assert counts["failed"] >= 1
    sandbox.script()
    assert poll_inbound()["handled"] == counts["failed"]
    assert company.invoices.count() == 2


def test_a_failed_delivery_is_read_from_the_feed_with_maventa_s_reason(
    sandbox, make_company, partner
):
    sandbox.set_exchange(invoice_delivery_seconds=3600)
    invoice = sent_invoice(make_company())
    sandbox.set_invoice(str(invoice.maventa_id), status="FAILED", message="Recipient unknown")

    counts = poll_outbound_errors()

    assert counts == {"listed": 1, "failed_now": 1, "unknown": 0, "refresh_failed": 0}
    invoice.refresh_from_db()
    assert invoice.status == "FAILED"
    assert "Recipient unknown" in invoice.error
    state = PartnerFeedState.objects.get()
    assert state.last_counts == counts
    assert poll_outbound_errors()["failed_now"] == 0, "the overlap lists it again, once FAILED"


def test_without_a_partner_company_the_feeds_say_what_to_set(db, settings):
    settings.MAVENTA_PARTNER_COMPANY_ID = ""

    with pytest.raises(NoPartnerCompany, match="MAVENTA_PARTNER_COMPANY_ID"):
        poll_inbound()


def test_the_schedule_s_task_reads_both_feeds_or_says_what_is_missing(
    sandbox, make_company, partner, settings
):
    from exchange import tasks

    incoming(sandbox, make_company(), 1)

    done = tasks.poll_partner_feeds()

    assert done["inbound"]["handled"] == 1
    assert done["outbound_errors"]["listed"] == 0
    settings.MAVENTA_PARTNER_COMPANY_ID = ""
    assert "MAVENTA_PARTNER_COMPANY_ID" in tasks.poll_partner_feeds()["skipped"]


def test_where_maventa_lacks_the_newer_feed_paths_the_older_ones_are_read(
    sandbox, make_company, partner
):
    sandbox.set_exchange(invoice_delivery_seconds=3600)
    company = make_company()
    incoming(sandbox, company, 1)
    invoice = sent_invoice(company)
    sandbox.set_invoice(str(invoice.maventa_id), status="FAILED", message="Recipient unknown")
    sandbox.script(
        {"path": "/v1/partner/invoice_delivery_actions/inbound", "status": 404, "times": 1},
        {"path": "/v1/partner/invoice_delivery_actions/outbound_errors", "status": 404, "times": 1},
    )

    assert poll_inbound()["handled"] == 1
    assert poll_outbound_errors()["failed_now"] == 1
    assert sandbox.requests_to("GET /ax/v1/partner/invoice_events/received") == 1
    assert sandbox.requests_to("GET /ax/v1/partner/invoice_events/sent_errors") == 1
