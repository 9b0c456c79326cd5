"""The newer Amili onboarding (v2) from the company's receivables page, against the sandbox:
the activation link shown when nobody is emailed, the outcome arriving by webhook, the
own-invoice-image setting, a refresh, and who may do what."""

from __future__ import annotations

import re
import time

import pytest
import requests
from django.urls import reverse

from exchange.models import WebhookEvent
from exchange.services import subscriptions
from maventa_portal.core.models import AuditEntry
from receivables.models import ReceivablesActivation
from tests.receivables.test_activation_page import FORM

SECRET = "amili-v2-test-secret"  # noqa: S105 - a test value
V2_FORM = {**FORM, "api_version": "2", "authorization_email": ""}


@pytest.fixture
def portal_url(settings, live_server):
    settings.PORTAL_PUBLIC_URL = live_server.url
    settings.MAVENTA_WEBHOOK_SECRET = SECRET
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET = ""
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = None
    settings.MAVENTA_WEBHOOK_AUTH = "query"
    return live_server.url


def until(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def start_v2(client, company) -> ReceivablesActivation:
    response = client.post(reverse("receivables:activation", args=[company.pk]), V2_FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReceivablesActivation.objects.get(company=company)


def approve_on_the_kyc_page(url: str, decision: str = "approve") -> requests.Response:
    session = requests.Session()
    page = session.get(url, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    data = {"decision": decision, "csrfmiddlewaretoken": csrf}
    return session.post(url, data=data, headers={"Referer": url}, timeout=10)


def test_without_an_authorization_email_the_page_shows_the_activation_link(
    sandbox, make_company, operator_client, operator
):
    company = make_company()

    state = start_v2(operator_client, company)

    assert state.api_version == 2
    assert state.status == "PENDING"
    assert state.authorization_email == ""
    assert "/sandbox/amili/kyc/" in state.activation_url
    page = operator_client.get(reverse("receivables:activation", args=[company.pk]))
    html = page.content.decode()
    assert "Send this link to the person who signs" in html
    assert f'readonly value="{state.activation_url}"' in html
    entry = AuditEntry.objects.get(event="receivables.activate")
    assert entry.actor == operator
    assert entry.company_id == company.pk


def test_v1_still_needs_the_authorization_email(sandbox, make_company, operator_client):
    company = make_company()
    before = sandbox.stats()["requests"]

    response = operator_client.post(
        reverse("receivables:activation", args=[company.pk]),
        {**FORM, "authorization_email": ""},
    )

    assert "Give the email of whoever signs" in response.content.decode()
    assert sandbox.stats()["requests"] == before
    assert not ReceivablesActivation.objects.exists()


def test_approval_on_the_kyc_page_arrives_by_webhook_and_activates(
    sandbox, make_company, operator_client, portal_url, sync_tasks
):
    company = make_company()
    subscription = subscriptions.subscribe_company(company=company)
    assert "SERVICES.RECEIVABLES.*" in subscription.events
    state = start_v2(operator_client, company)

    answer = approve_on_the_kyc_page(state.activation_url)
    assert answer.status_code == 200
    sandbox.flush_webhooks(everything=True)

    until(
        lambda: WebhookEvent.objects.filter(
            name="SERVICES.RECEIVABLES.ACTIVATED", state=WebhookEvent.State.PROCESSED
        ).exists()
    )
    event = WebhookEvent.objects.get(name="SERVICES.RECEIVABLES.ACTIVATED")
    assert event.family == WebhookEvent.Family.SERVICES
    assert event.company == company
    assert "ACTIVE" in event.outcome
    state.refresh_from_db()
    assert state.status == "ACTIVE"
    assert state.activated_at is not None
    assert state.vfsfi_iban


def test_a_rejection_arrives_by_webhook_and_marks_it_rejected(
    sandbox, make_company, operator_client, portal_url, sync_tasks
):
    company = make_company()
    subscriptions.subscribe_company(company=company)
    state = start_v2(operator_client, company)

    sandbox.amili_decide(str(company.maventa_id), "reject")
    sandbox.flush_webhooks(everything=True)

    until(
        lambda: WebhookEvent.objects.filter(
            name="SERVICES.RECEIVABLES.REJECTED", state=WebhookEvent.State.PROCESSED
        ).exists()
    )
    state.refresh_from_db()
    assert state.status == "REJECTED"
    page = operator_client.get(reverse("receivables:activation", args=[company.pk]))
    assert "Visma Amili rejected the onboarding" in page.content.decode()


def test_the_own_invoice_image_setting_round_trips_and_is_audited(
    sandbox, make_company, operator_client, operator
):
    company = make_company()
    start_v2(operator_client, company)
    url = reverse("receivables:activation_image", args=[company.pk])

    response = operator_client.post(url, {"own_invoice_image": "true"})

    assert response.status_code == 302
    state = ReceivablesActivation.objects.get(company=company)
    assert state.own_invoice_image is True
    entry = AuditEntry.objects.get(event="receivables.own_invoice_image")
    assert entry.actor == operator
    assert "on" in entry.reason
    operator_client.post(url, {"own_invoice_image": "false"})
    state.refresh_from_db()
    assert state.own_invoice_image is False
    # Read back from Maventa, not from what was sent.
    operator_client.post(reverse("receivables:activation_refresh", args=[company.pk]))
    state.refresh_from_db()
    assert state.own_invoice_image is False
    assert state.api_version == 2


def test_a_bad_setting_is_refused_before_any_call(sandbox, make_company, operator_client):
    company = make_company()
    start_v2(operator_client, company)
    before = sandbox.stats()["requests"]

    response = operator_client.post(
        reverse("receivables:activation_image", args=[company.pk]),
        {"own_invoice_image": "maybe"},
        follow=True,
    )

    assert "Choose whose invoice image" in response.content.decode()
    assert sandbox.stats()["requests"] == before
    assert not AuditEntry.objects.filter(event="receivables.own_invoice_image").exists()


def test_refresh_reads_the_decision_made_meanwhile(sandbox, make_company, operator_client):
    company = make_company()
    start_v2(operator_client, company)
    sandbox.amili_decide(str(company.maventa_id), "approve")

    response = operator_client.post(reverse("receivables:activation_refresh", args=[company.pk]))

    assert response.status_code == 302
    assert ReceivablesActivation.objects.get(company=company).status == "ACTIVE"


def test_viewers_may_neither_change_the_setting_nor_refresh(
    sandbox, make_company, operator_client, viewer_client
):
    company = make_company()
    start_v2(operator_client, company)
    before = sandbox.stats()["requests"]

    image = viewer_client.post(
        reverse("receivables:activation_image", args=[company.pk]), {"own_invoice_image": "true"}
    )
    refresh = viewer_client.post(reverse("receivables:activation_refresh", args=[company.pk]))

    assert image.status_code == 403
    assert refresh.status_code == 403
    assert sandbox.stats()["requests"] == before
    assert ReceivablesActivation.objects.get(company=company).own_invoice_image is not True
    page = viewer_client.get(reverse("receivables:activation", args=[company.pk])).content
    assert b"own-invoice-image-form" not in page


def test_the_setting_before_any_onboarding_is_a_clear_refusal(
    sandbox, make_company, operator_client
):
    company = make_company()

    response = operator_client.post(
        reverse("receivables:activation_image", args=[company.pk]),
        {"own_invoice_image": "true"},
        follow=True,
    )

    assert response.status_code == 200
    assert "not been set up" in response.content.decode()
    assert not ReceivablesActivation.objects.filter(own_invoice_image=True).exists()
