"""Roles: viewers read, operators act; no state-changing URL or admin action goes unchecked.

``test_every_post_url_refuses_a_viewer`` walks the whole URLconf, so a new view that
accepts POST without a permission check fails here. A URL with parameters needs an entry
in ``URL_KWARGS``; a URL that must accept anyone's POST needs one in ``OPEN_TO_POST``.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from companies.models import UnsavedCompany
from exchange.models import Attachment, Document, Invoice, WebhookSubscription
from maventa_portal.core.models import BulkRun
from receivables.models import Assignment, MessageThread
from tests.factories import CompanyFactory, PrintBatchFactory

pytestmark = pytest.mark.django_db

# Not staff pages: the admin has its own checks (tested below), the rest are machines'.
SKIPPED_PREFIXES = ("admin", "sandbox", "static", "media")
# POSTs every logged-in user may make, with the reason.
OPEN_TO_POST = {
    "portal:login": "the login form",
    "portal:logout": "anyone may log out",
    "portal:check_connection": "both roles may: it refreshes the stored check, changes nothing",
}
OPEN_NAMESPACES = {"portal:two_factor:": "staff set up and use their own second factor"}
# Maventa's deliveries: no login, the webhook secret instead (tests/exchange/webhooks checks
# that every URL under it refuses a POST without the secret and keeps nothing).
OPEN_PREFIXES = ("webhooks",)


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _walk(pattern, route, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}" if pattern.name else None, pattern


def staff_urls():
    for route, name, pattern in _walk(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith(OPEN_PREFIXES):
            continue
        if route in ("", "healthz"):  # the redirect to the portal, the health probe
            continue
        yield route, name, pattern


@pytest.fixture
def url_kwargs(db):
    company = CompanyFactory()
    run = BulkRun.objects.create(
        kind="companies.register_profiles",
        title="Registering PEPPOL profiles",
        options={"network": "PEPPOL", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
    )
    pending = UnsavedCompany.objects.create(
        name="Kept Oy", bid="1234567-1", country="FI", reason="test", encrypted_api_key="x"
    )
    invoice = Invoice.objects.create(company=company, direction="SENT", status="DRAFT")
    attachment = Attachment.objects.create(invoice=invoice, filename="a.txt")
    document = Document.objects.create(company=company, direction="RECEIVED", status="DELIVERED")
    document_attachment = Attachment.objects.create(document=document, filename="b.txt")
    subscription = WebhookSubscription.objects.create(
        company=company, destination_type="WEBHOOK", maventa_id="n-1", events=["NETWORKS.*"]
    )
    thread = MessageThread.objects.create(company=company, maventa_id="t-1", subject="Walk")
    assignment = Assignment.objects.create(company=company, maventa_id="a-1")
    batch = PrintBatchFactory(company=company)
    return {
        "exchange:print_detail": {"pk": batch.pk},
        "exchange:print_check": {"pk": batch.pk},
        "exchange:print_register": {"company_pk": company.pk},
        "receivables:thread": {"pk": thread.pk},
        "receivables:assignment": {"pk": assignment.pk},
        "receivables:activation": {"company_pk": company.pk},
        "receivables:activation_disable": {"company_pk": company.pk},
        "receivables:activation_image": {"company_pk": company.pk},
        "receivables:activation_refresh": {"company_pk": company.pk},
        **{
            f"receivables:{name}": {"company_pk": company.pk}
            for name in (
                "credit",
                "credit_activate",
                "credit_terms",
                "credit_withdraw",
                "credit_withdraw_confirm",
                "credit_direct_payment",
                "credit_statement",
            )
        },
        "receivables:assignment_event": {"pk": assignment.pk},
        "receivables:assignment_message": {"pk": assignment.pk},
        "receivables:reply": {"pk": thread.pk},
        "receivables:flag": {"pk": thread.pk},
        "exchange:webhook_unsubscribe": {"pk": subscription.pk},
        "exchange:webhook_register_again": {"pk": subscription.pk},
        "exchange:webhook_add_events": {"pk": subscription.pk},
        "exchange:document_detail": {"pk": document.pk},
        "exchange:document_confirm_send": {"pk": document.pk},
        "exchange:document_reconcile": {"pk": document.pk},
        "exchange:document_refresh": {"pk": document.pk},
        "exchange:document_confirm_delivery": {"pk": document.pk},
        "exchange:document_file": {"pk": document.pk},
        "exchange:document_attachment": {
            "pk": document.pk,
            "attachment_id": document_attachment.pk,
        },
        "exchange:detail": {"pk": invoice.pk},
        "exchange:by_maventa_id": {"maventa_id": "5f0b8f8e-0f5c-4a39-9d2a-4b7b7f0e3a11"},
        "exchange:confirm_send": {"pk": invoice.pk},
        "exchange:refresh": {"pk": invoice.pk},
        "exchange:reroute": {"pk": invoice.pk},
        "exchange:report": {"pk": invoice.pk},
        "exchange:detect": {"pk": invoice.pk},
        "exchange:file": {"pk": invoice.pk, "kind": "xml"},
        "exchange:attachment": {"pk": invoice.pk, "attachment_id": attachment.pk},
        "companies:detail": {"pk": company.pk},
        "companies:register": {"pk": company.pk},
        "companies:replace_key": {"pk": company.pk},
        "companies:refresh": {"pk": company.pk},
        "companies:request_verification": {"pk": company.pk},
        "runs:progress": {"pk": run.pk},
        "runs:progress_json": {"pk": run.pk},
        "runs:retry": {"pk": run.pk},
        "runs:new_from_failed": {"pk": run.pk},
        "runs:result_csv": {"pk": run.pk},
        "companies:unsaved_save": {"pk": pending.pk},
    }


def _snapshot() -> dict[str, list]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _url(name: str | None, pattern: URLPattern, url_kwargs: dict) -> str:
    assert name, f"URL pattern {pattern} has no name: give it one so that it can be checked."
    if pattern.pattern.converters:
        assert name in url_kwargs, f"Add {name} to URL_KWARGS in {__name__}."
        return reverse(name, kwargs=url_kwargs[name])
    return reverse(name)


def test_the_walk_finds_the_staff_pages():
    names = {name for _, name, _ in staff_urls()}

    assert {"portal:home", "companies:create", "runs:retry"} <= names


def test_every_post_url_refuses_a_viewer_and_changes_nothing(viewer_client, url_kwargs, settings):
    # Nothing may reach Maventa either: any call would fail at this closed port.
    settings.MAVENTA_SANDBOX_URL = "http://127.0.0.1:9/sandbox"
    checked = []
    for _, name, pattern in staff_urls():
        if name in OPEN_TO_POST or (name or "").startswith(tuple(OPEN_NAMESPACES)):
            continue
        url = _url(name, pattern, url_kwargs)
        before = _snapshot()

        response = viewer_client.post(url, {"name": "x", "api_key": "k", "network": "PEPPOL"})

        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.METHOD_NOT_ALLOWED), (
            f"POST {url} ({name}) answered a viewer {response.status_code}"
        )
        assert _snapshot() == before, f"POST {url} ({name}) by a viewer changed the database"
        checked.append(name)
    assert "companies:create" in checked


@pytest.mark.slow
def test_every_post_url_lets_an_operator_past_the_permission_check(
    operator_client, url_kwargs, settings
):
    settings.MAVENTA_SANDBOX_URL = "http://127.0.0.1:9/sandbox"
    for _, name, pattern in staff_urls():
        url = _url(name, pattern, url_kwargs)

        response = operator_client.post(url, {})

        assert response.status_code != HTTPStatus.FORBIDDEN, f"POST {url} refused an operator"


def test_refusal_page_names_the_missing_permission_and_the_role(viewer_client):
    company = CompanyFactory()

    response = viewer_client.post(reverse("companies:replace_key", args=[company.pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    page = response.content.decode()
    assert "Can replace API keys" in page
    assert "companies.manage_credentials" in page
    assert "Portal operators" in page
    assert "may not use the Maventa Portal" not in page


def test_staff_user_without_any_permission_is_refused_the_company_list(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(staff=True))

    response = client.get(reverse("companies:list"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Can view company" in response.content.decode()


def test_viewer_reads_the_company_page_without_the_buttons_to_act(viewer_client):
    company = CompanyFactory(company_state="UNVERIFIED")

    page = viewer_client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert company.name in page
    for action in ("replace-key", "request-verification", "Refresh from Maventa", "Register"):
        assert action not in page
    listing = viewer_client.get(reverse("companies:list")).content.decode()
    assert "Create on Maventa" not in listing


def test_operator_sees_the_buttons_to_act(operator_client):
    company = CompanyFactory(company_state="UNVERIFIED")

    page = operator_client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    for action in ("replace-key", "request-verification", "Refresh from Maventa"):
        assert action in page


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_no_admin_action_is_offered_to_a_viewer(viewer):
    request = _admin_request(viewer)

    offered = {
        model._meta.label: sorted(model_admin.get_actions(request))
        for model, model_admin in admin.site._registry.items()
        if model_admin.get_actions(request)
    }

    assert offered == {}


def test_register_profiles_action_is_offered_to_an_operator(operator):
    from companies.models import Company

    actions = admin.site._registry[Company].get_actions(_admin_request(operator))

    assert "register_network_profiles" in actions
    assert "delete_selected" not in actions


def test_viewer_posting_the_admin_action_starts_nothing(viewer_client):
    company = CompanyFactory()

    response = viewer_client.post(
        reverse("admin:companies_company_changelist"),
        {"action": "register_network_profiles", "_selected_action": [company.pk]},
    )
    form = viewer_client.post(
        reverse("admin:companies_company_register_profiles"),
        {"network": "PEPPOL", "profiles": ["INVOICE_AND_CREDIT_NOTE"]},
    )

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert form.status_code == HTTPStatus.FORBIDDEN
    assert not BulkRun.objects.exists()


def test_viewer_cannot_change_or_delete_a_company_in_the_admin(viewer_client):
    company = CompanyFactory(name="Unchanged Oy")

    change = viewer_client.post(
        reverse("admin:companies_company_change", args=[company.pk]), {"name": "Changed Oy"}
    )
    delete = viewer_client.post(
        reverse("admin:companies_company_delete", args=[company.pk]), {"post": "yes"}
    )

    assert change.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN
    company.refresh_from_db()
    assert company.name == "Unchanged Oy"
