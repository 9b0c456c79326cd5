"""OP Laskulaina from the company's invoice credit page, against the sandbox: onboarding and
signing, terms, available credit, withdrawals (confirmed, audited, refused over the credit,
sent once per confirmation, unknown when unanswered), direct payments and statements."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree

from companies.access import company_api
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api.ax import invoices
from maventa_portal.maventa_api.ax import op_invoice_credit as op
from receivables.credit_forms import CONFIRM_NEEDED
from receivables.credit_views import BAD_DAY, OVER_AVAILABLE
from receivables.models import CreditWithdrawal
from receivables.services.credit import NO_STATEMENT, UNKNOWN_MESSAGE
from tests.contract.objects import FINVOICE

FORM = {
    "contact_email": "talous@example.com",
    "iban": "FI21 1234 5600 0007 85",
    "bic": "nordfihh",
    "bank": "Nordea",
}
TERMS = {"payment_percent": "100", "interest_rate": "5", "credit_limit": "200.00"}
CAMT = "{urn:iso:std:iso:20022:tech:xsd:camt.053.001.02}"


def _url(name: str, company) -> str:
    return reverse(f"receivables:{name}", args=[company.pk])


def _send_invoice(company) -> str:
    api = company_api(company, scope=invoices.SCOPE)
    return invoices.send_invoice(api, file=FINVOICE, filename="invoice.xml").id


@pytest.fixture
def lending(sandbox, make_company, operator_client):
    """A company onboarded through the page, signed, with terms and a sent invoice: its
    available credit is the terms' limit, 200.00 EUR."""
    company = make_company()
    operator_client.post(_url("credit_activate", company), FORM)
    service = op.get_op_credit(company_api(company, scope=op.SCOPE))
    sandbox.sign_op_credit(service.activation_url)
    operator_client.post(_url("credit_terms", company), TERMS)
    _send_invoice(company)
    return company


def _confirm(client, company, amount: str):
    """The confirmation page's form, as staff would send it."""
    page = client.post(_url("credit_withdraw", company), {"amount": amount})
    assert page.status_code == 200, page.content.decode()
    form = page.context["form"]
    return page, {
        "request_key": form.initial["request_key"],
        "amount": str(form.initial["amount"]),
        "available": str(form.initial["available"]),
        "confirm": "on",
    }


def test_onboarding_shows_the_signing_address_and_signing_makes_it_active(
    sandbox, make_company, operator_client, operator
):
    company = make_company()

    response = operator_client.post(_url("credit_activate", company), FORM)

    assert response.status_code == 302
    page = operator_client.get(_url("credit", company))
    state = page.context["state"]
    assert state.service.status == "PENDING"
    assert state.service.activation_url in page.content.decode()
    assert state.service.op_bank_details.iban in page.content.decode()
    assert AuditEntry.objects.get(event="credit.activate").actor == operator
    sandbox.sign_op_credit(state.service.activation_url)
    assert operator_client.get(_url("credit", company)).context["state"].service.status == (
        "ACTIVE"
    )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"iban": "FI22 1234 5600 0007 85"}, "This IBAN is not valid"),
        ({"bic": "NDEA"}, "A BIC has 8 or 11"),
        ({"contact_email": "nobody"}, "Enter a valid email address"),
        ({"bank": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_details_are_refused_before_any_call(
    sandbox, make_company, operator_client, changes, error
):
    company = make_company()
    before = sandbox.requests_to("PUT /ax/v1/services/op_invoice_credit")

    response = operator_client.post(_url("credit_activate", company), {**FORM, **changes})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert sandbox.requests_to("PUT /ax/v1/services/op_invoice_credit") == before
    assert not AuditEntry.objects.filter(event="credit.activate").exists()


def test_a_company_without_the_service_reads_as_not_enabled(sandbox, make_company, viewer_client):
    company = make_company()

    page = viewer_client.get(_url("credit", company))

    assert page.status_code == 200
    assert page.context["state"].service.status == "DISABLED"
    assert "Not enabled (DISABLED)" in page.content.decode()
    assert page.context["state"].available is None


def test_accepted_terms_are_current_and_the_credit_is_shown_with_two_decimals(
    lending, operator_client
):
    page = operator_client.get(_url("credit", lending))

    state = page.context["state"]
    assert state.settings.current == op.Terms(
        b2c_enabled=False, payment_percent=100, interest_rate=5, credit_limit=200.0
    )
    assert state.available.available_credit_amount == 200.0
    assert '<dd id="available-amount">200.00 EUR</dd>' in page.content.decode()
    assert AuditEntry.objects.filter(event="credit.accept_terms", outcome="done").exists()


def test_a_confirmed_withdrawal_is_made_once_and_audited(lending, operator_client, operator):
    page, form = _confirm(operator_client, lending, "120.50")
    assert "120.50 EUR" in page.content.decode()
    assert form["available"] == "200.00"
    assert not CreditWithdrawal.objects.exists()  # the confirmation page changes nothing

    first = operator_client.post(_url("credit_withdraw_confirm", lending), form)
    again = operator_client.post(_url("credit_withdraw_confirm", lending), form)

    assert first.status_code == again.status_code == 302
    withdrawal = CreditWithdrawal.objects.get()
    assert withdrawal.state == CreditWithdrawal.State.DONE
    assert withdrawal.amount == Decimal("120.50")
    assert withdrawal.available_then == Decimal("200.00")
    assert withdrawal.requested_by == operator
    available = op.available_credit(company_api(lending, scope=op.SCOPE))
    assert available.total_withdrawn == 120.5
    entry = AuditEntry.objects.get(event="credit.withdraw")
    assert (entry.outcome, entry.actor, entry.asked["amount"]) == ("done", operator, "120.50")


def test_a_withdrawal_needs_the_confirmation_ticked(lending, operator_client):
    _, form = _confirm(operator_client, lending, "10.00")

    response = operator_client.post(
        _url("credit_withdraw_confirm", lending), {**form, "confirm": ""}
    )

    assert response.status_code == 200
    assert CONFIRM_NEEDED in response.content.decode()
    assert not CreditWithdrawal.objects.exists()


def test_more_than_the_available_credit_is_refused_before_the_confirmation(
    lending, operator_client
):
    response = operator_client.post(_url("credit_withdraw", lending), {"amount": "200.01"})

    assert response.status_code == 200
    assert OVER_AVAILABLE.format(available=Decimal("200.00")) in response.content.decode()


def test_maventas_refusal_of_a_withdrawal_is_kept_and_audited(sandbox, lending, operator_client):
    _, form = _confirm(operator_client, lending, "150.00")
    # Someone else withdrew meanwhile: OP refuses what is no longer available.
    op.withdraw_credit(company_api(lending, scope=op.SCOPE), amount="100.00")

    response = operator_client.post(_url("credit_withdraw_confirm", lending), form, follow=True)

    withdrawal = CreditWithdrawal.objects.get()
    assert withdrawal.state == CreditWithdrawal.State.FAILED
    assert "more than the available" in withdrawal.message
    assert "Maventa refused the request" in response.content.decode()
    assert AuditEntry.objects.get(event="credit.withdraw").outcome == "refused"


def test_an_unanswered_withdrawal_is_unknown_and_not_sent_again(sandbox, lending, operator_client):
    _, form = _confirm(operator_client, lending, "50.00")
    path = "/v1/services/op_invoice_credit/withdrawal"
    sandbox.script({"method": "POST", "path": path, "drop": True, "times": 1})

    response = operator_client.post(_url("credit_withdraw_confirm", lending), form, follow=True)
    operator_client.post(_url("credit_withdraw_confirm", lending), form)

    withdrawal = CreditWithdrawal.objects.get()
    assert withdrawal.state == CreditWithdrawal.State.UNKNOWN
    assert UNKNOWN_MESSAGE.format(amount="50.00") in response.content.decode()
    assert sandbox.requests_to(f"POST /ax{path}") == 1
    assert AuditEntry.objects.get(event="credit.withdraw").outcome == "failed"


def test_an_invoice_paid_directly_leaves_the_collateral(sandbox, make_company, operator_client):
    company = make_company()
    sandbox.activate_op_credit(str(company.maventa_id))
    invoice_id = _send_invoice(company)

    response = operator_client.post(
        _url("credit_direct_payment", company), {"invoice_id": invoice_id}
    )

    assert response.status_code == 302
    available = op.available_credit(company_api(company, scope=op.SCOPE))
    assert available.total_collateral_amount == 0
    entry = AuditEntry.objects.get(event="credit.direct_payment")
    assert (entry.outcome, entry.asked) == ("done", {"invoice_id": invoice_id})


def test_a_direct_payment_of_an_unknown_invoice_is_refused_clearly(
    sandbox, make_company, operator_client
):
    company = make_company()
    sandbox.activate_op_credit(str(company.maventa_id))

    response = operator_client.post(
        _url("credit_direct_payment", company),
        {"invoice_id": "8a0f2d2e-8e43-4c0e-9a5c-3d8f4d1b2c3a"},
    )

    assert response.status_code == 200
    assert "does not know this object" in response.content.decode()
    assert AuditEntry.objects.get(event="credit.direct_payment").outcome == "failed"


def test_the_statement_of_a_day_downloads_as_xml_for_viewers_too(
    sandbox, lending, operator_client, viewer_client
):
    _, form = _confirm(operator_client, lending, "80.00")
    operator_client.post(_url("credit_withdraw_confirm", lending), form)
    sandbox.repay_op_credit(str(lending.maventa_id), 30)

    response = viewer_client.get(_url("credit_statement", lending), {"day": date.today()})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    root = etree.fromstring(response.content)
    amounts = [entry.findtext(f"{CAMT}Amt") for entry in root.iter(f"{CAMT}Ntry")]
    assert amounts == ["80.00", "30.00"]


def test_a_day_without_a_statement_says_so(sandbox, lending, viewer_client):
    day = date.today() - timedelta(days=3)

    response = viewer_client.get(_url("credit_statement", lending), {"day": day}, follow=True)

    expected = NO_STATEMENT.format(company=lending.name, day=day.isoformat())
    assert expected in response.content.decode()


def test_a_statement_day_that_is_no_date_is_refused(sandbox, make_company, viewer_client):
    company = make_company()
    response = viewer_client.get(_url("credit_statement", company), {"day": "x"}, follow=True)
    assert BAD_DAY in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "credit_activate",
        "credit_terms",
        "credit_withdraw",
        "credit_withdraw_confirm",
        "credit_direct_payment",
    ],
)
def test_viewers_may_read_but_change_nothing(sandbox, lending, viewer_client, name):
    before = sandbox.stats()["requests"]

    response = viewer_client.post(_url(name, lending), {**FORM, **TERMS, "amount": "1.00"})

    assert response.status_code == 403
    assert sandbox.stats()["requests"] == before
    assert viewer_client.get(_url("credit", lending)).status_code == 200


def test_the_company_page_links_to_the_credit_page(sandbox, make_company, viewer_client):
    company = make_company()
    page = viewer_client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert _url("credit", company) in page


def test_a_withdrawal_cut_off_mid_call_shows_as_unknown_not_as_on_its_way(
    sandbox, make_company, viewer_client
):
    company = make_company()
    cut_off = CreditWithdrawal.objects.create(company=company, amount="10.00", request_key="k-1")
    CreditWithdrawal.objects.filter(pk=cut_off.pk).update(
        requested_at=cut_off.requested_at - timedelta(minutes=30)
    )
    CreditWithdrawal.objects.create(company=company, amount="20.00", request_key="k-2")

    page = viewer_client.get(_url("credit", company)).content.decode()

    assert page.count("Unknown: check available credit before trying again") == 1
    assert page.count(">Requested<") == 1
