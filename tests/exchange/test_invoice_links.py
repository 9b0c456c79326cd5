"""Other apps' pages link an invoice by Maventa's id (a collection case names its invoice so)."""

from __future__ import annotations

import uuid

from django.urls import reverse

from exchange.models import Invoice
from tests.factories import CompanyFactory


def test_a_link_by_maventa_id_opens_the_invoice_page(db, viewer_client):
    invoice = Invoice.objects.create(
        company=CompanyFactory(), direction="SENT", status="DELIVERED", maventa_id=uuid.uuid4()
    )

    response = viewer_client.get(reverse("exchange:by_maventa_id", args=[invoice.maventa_id]))

    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:detail", args=[invoice.pk])


def test_an_invoice_not_in_the_portal_is_a_clear_not_found(db, viewer_client):
    response = viewer_client.get(reverse("exchange:by_maventa_id", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert "not in the portal" in response.content.decode()
