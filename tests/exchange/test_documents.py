"""Documents: read and kept as drafts, sent once (a lost answer looked up by transmission id),
received ones fetched with their files, delivery confirmed; the pages and their audit."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies.access import company_api
from exchange.models import Document
from exchange.services import document_sync, documents
from exchange.services.document_drafts import (
    NEEDS_OPERATOR,
    NEEDS_RECIPIENT,
    DocumentOptions,
    prepare_document,
)
from exchange.services.document_reading import read_document
from exchange.services.drafts import Upload
from maventa_portal.core.errors import PortalError, Refused
from maventa_portal.core.models import AuditEntry
from maventa_portal.maventa_api import Conflict, MaventaError
from maventa_portal.maventa_api.ax import documents as ax_documents
from tests.factories import CompanyFactory

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoices"
ORDER = (SAMPLES / "peppol-bis3-order.xml").read_bytes()
EHF_ORDER = (SAMPLES / "ehf30-order.xml").read_bytes()
FINVOICE = (SAMPLES / "finvoice30-simple.xml").read_bytes()
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
LAHTINEN = "0037:003727812340"  # the order's seller, its recipient
UBL = 'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
UBL += 'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
RESPONSE = f"""<ApplicationResponse
  xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2" {UBL}>
  <cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:invoice_response:3</cbc:CustomizationID>
  <cbc:ID>IR-7</cbc:ID>
  <cac:SenderParty><cbc:EndpointID schemeID="0192">998877660</cbc:EndpointID>
    <cac:PartyLegalEntity><cbc:RegistrationName>Vestland Eiendom AS</cbc:RegistrationName>
    </cac:PartyLegalEntity></cac:SenderParty>
  <cac:ReceiverParty><cbc:EndpointID schemeID="0192">923456783</cbc:EndpointID>
    <cac:PartyName><cbc:Name>Bergen Rådgivning AS</cbc:Name></cac:PartyName></cac:ReceiverParty>
</ApplicationResponse>""".encode()


def sha256(field_file) -> str:
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def draft(company, data: bytes = ORDER, name: str = "order.xml", **options) -> Document:
    return prepare_document(
        company=company, upload=Upload(name, data), options=DocumentOptions(**options)
    ).document


def at_sandbox(company, transmission_id: str) -> list[ax_documents.Document]:
    api = company_api(company, scope=ax_documents.SCOPE)
    sent = ax_documents.list_documents(api, direction="SENT", per_page=100).items
    return [d for d in sent if d.transmission_id == transmission_id]


def events_of(name: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=name).order_by("pk"))


# Reading ---------------------------------------------------------------------------------


def test_an_order_is_sent_by_its_buyer_to_its_seller():
    read = read_document(ORDER)

    assert read.kind == "ORDER"
    assert read.number == "PO-2025-031"
    assert (read.sender.name, read.sender.eia) == (
        "Insinööritoimisto Mäkelä Oy",
        "0037:003709127972001",
    )
    assert (read.recipient.name, read.recipient.eia) == ("Toimistotarvike Lahtinen Oy", LAHTINEN)


def test_a_response_names_its_parties_without_a_party_wrapper():
    read = read_document(RESPONSE)

    assert read.kind == "INVOICE_RESPONSE"
    assert read.sender.eia == "0192:998877660"
    assert (read.recipient.name, read.recipient.eia) == ("Bergen Rådgivning AS", "0192:923456783")


def test_a_finvoice_order_carries_the_recipients_operator():
    order = FINVOICE.replace(b"INV01", b"ORD01")

    read = read_document(order)

    assert read.kind == "ORDER"
    assert read.recipient.name == "Kattohuolto Virtanen Oy", "the seller receives an order"
    assert read.recipient.operator == "003721291126", "ToIntermediator"


def test_a_file_in_no_known_format_is_a_document_with_nothing_read():
    read = read_document(PDF)

    assert read.detected is None
    assert "PDF" in read.unread


# Drafts ----------------------------------------------------------------------------------


@pytest.fixture
def verified(db):
    return CompanyFactory(company_state="VERIFIED")


def test_draft_keeps_what_the_file_says_and_sends_nothing(verified):
    document = draft(verified)

    assert document.status == Document.Status.DRAFT
    assert (document.type, document.number) == ("ORDER", "PO-2025-031")
    assert (document.recipient_eia, document.recipient_operator) == (LAHTINEN, "")
    assert document.send_options["read"]["recipient_from_file"] is True
    assert document.file_checksum == sha256(document.file)
    assert events_of("document.prepare")[0].outcome == "done"


def test_what_staff_give_wins_over_the_file(verified):
    document = draft(
        verified, recipient_eia="0192:923456783", recipient_operator="EVRY", type="ORDER"
    )

    assert (document.recipient_eia, document.recipient_operator) == ("0192:923456783", "EVRY")
    assert document.send_options["read"]["recipient_from_file"] is False


def test_an_unreadable_file_needs_its_type_recipient_and_operator(verified):
    with pytest.raises(Refused) as caught:
        draft(verified, PDF, "voucher.pdf")

    assert set(caught.value.message_dict) == {"type", "recipient_eia"}
    assert caught.value.message_dict["recipient_eia"] == [NEEDS_RECIPIENT]
    with pytest.raises(Refused) as caught:
        draft(verified, PDF, "voucher.pdf", type="VOUCHER", recipient_eia=LAHTINEN)
    assert caught.value.message_dict == {"recipient_operator": [NEEDS_OPERATOR]}
    document = draft(
        verified, PDF, "voucher.pdf", type="VOUCHER", recipient_eia=LAHTINEN, recipient_operator="X"
    )
    assert (document.type, document.source_format) == ("VOUCHER", "")


def test_an_invoice_is_sent_from_the_invoice_page(verified):
    with pytest.raises(Refused, match="Send an invoice"):
        draft(verified, FINVOICE, "invoice.xml")

    assert not Document.objects.exists()


def test_an_unsafe_file_and_an_unverified_company_are_refused(verified):
    unsafe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><Order>&e;</Order>'
    with pytest.raises(PortalError, match="DOCTYPE"):
        draft(verified, unsafe)
    with pytest.raises(PortalError, match="verif"):
        draft(CompanyFactory(company_state="UNVERIFIED"))

    assert not Document.objects.exists()
    assert [e.outcome for e in events_of("document.prepare")] == ["refused", "refused"]


# Pages without Maventa ---------------------------------------------------------------------


def test_the_send_page_reads_the_file_and_shows_the_draft(operator_client, verified):
    response = operator_client.post(
        reverse("exchange:document_send"),
        {"company": verified.pk, "file": SimpleUploadedFile("order.xml", ORDER)},
        follow=True,
    )

    document = Document.objects.get()
    assert response.redirect_chain[-1][0] == reverse("exchange:document_detail", args=[document.pk])
    page = response.content.decode()
    assert "read from the file" in page
    assert LAHTINEN in page
    assert 'id="confirm-send"' in page


def test_the_send_page_asks_for_what_the_file_does_not_say(operator_client, verified):
    response = operator_client.post(
        reverse("exchange:document_send"),
        {"company": verified.pk, "file": SimpleUploadedFile("voucher.pdf", PDF)},
    )

    assert response.status_code == HTTPStatus.OK
    assert "choose its type" in response.content.decode()
    assert not Document.objects.exists()


def test_a_viewer_reads_documents_but_may_not_send(viewer_client, verified):
    document = draft(verified)

    listing = viewer_client.get(reverse("exchange:documents"), {"status": "DRAFT"})
    page = viewer_client.get(reverse("exchange:document_detail", args=[document.pk]))
    refused = viewer_client.post(
        reverse("exchange:document_send"),
        {"company": verified.pk, "file": SimpleUploadedFile("order.xml", ORDER)},
    )

    assert listing.status_code == HTTPStatus.OK
    assert "Send a document" not in listing.content.decode()
    assert "Fetch received documents now" not in listing.content.decode()
    assert 'id="confirm-send"' not in page.content.decode()
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert Document.objects.count() == 1


def test_the_list_filters_and_costs_the_same_queries_for_any_number(viewer_client, verified):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = viewer_client.get(reverse("exchange:documents"), {"direction": "RECEIVED"})
        assert response.status_code == HTTPStatus.OK
        return len(captured)

    Document.objects.create(company=verified, direction="RECEIVED", type="ORDER", number="A-1")
    few = queries()
    for n in range(30):
        Document.objects.create(company=CompanyFactory(), direction="RECEIVED", number=f"B-{n}")
    Document.objects.create(company=verified, direction="SENT", type="ORDER", number="S-1")

    assert queries() == few
    page = viewer_client.get(reverse("exchange:documents"), {"type": "ORDER"}).content.decode()
    assert "A-1" in page
    assert "S-1" in page
    assert "B-1" not in page


def test_files_are_downloads_no_browser_runs(viewer_client, verified):
    document = draft(verified)

    response = viewer_client.get(reverse("exchange:document_file", args=[document.pk]))

    assert response.status_code == HTTPStatus.OK
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == ORDER


# Against the sandbox -------------------------------------------------------------------------


def test_send_then_delivered_after_the_sandbox_moves(sandbox, make_company, operator_client):
    sandbox.set_exchange(document_delivery_seconds=0)
    company = make_company()
    document = draft(company)

    response = operator_client.post(reverse("exchange:document_confirm_send", args=[document.pk]))

    assert response.status_code == HTTPStatus.FOUND
    document.refresh_from_db()
    assert document.status == Document.Status.PROCESSING
    assert document.maventa_id is not None
    assert len(at_sandbox(company, document.transmission_id)) == 1
    sandbox.tick()
    operator_client.post(reverse("exchange:document_refresh", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == Document.Status.DELIVERED
    assert "DELIVERED" in [event["code"] for event in document.events]
    assert [e.outcome for e in events_of("document.send")] == ["done"]
    assert [e.outcome for e in events_of("document.refresh")] == ["done"]


def test_the_same_file_again_needs_send_again_ticked(sandbox, make_company):
    company = make_company()
    documents.send_document(document=draft(company))
    second = draft(company)

    with pytest.raises(Refused, match="Send it again"):
        documents.send_document(document=second)
    second.refresh_from_db()
    assert second.status == Document.Status.DRAFT
    documents.send_document(document=second, resend=True)

    assert second.status == Document.Status.PROCESSING
    assert sandbox.requests_to("POST /ax/v1/documents") == 2


def test_a_refused_send_goes_back_to_draft_with_the_reason(sandbox, make_company):
    company = make_company()
    document = draft(company)
    sandbox.script({"path": "/v1/documents", "method": "POST", "status": 400, "times": 1})

    with pytest.raises(MaventaError):
        documents.send_document(document=document)

    document.refresh_from_db()
    assert document.status == Document.Status.DRAFT
    assert document.error


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the sandbox did not get there in time"
        time.sleep(0.1)


@pytest.mark.slow
def test_a_lost_answer_is_found_by_its_transmission_id_not_sent_again(
    sandbox, make_company, settings
):
    sandbox.set_exchange(document_delivery_seconds=60)
    company = make_company()
    document = draft(company)
    settings.MAVENTA_READ_TIMEOUT = 0.3
    sandbox.script({"path": "/v1/documents", "method": "POST", "hang_seconds": 0.8, "times": 1})

    documents.send_document(document=document)

    assert document.status == Document.Status.UNKNOWN
    _wait_for(lambda: at_sandbox(company, document.transmission_id))
    documents.reconcile_document(document=document)
    assert document.status == Document.Status.PROCESSING
    assert sandbox.requests_to("POST /ax/v1/documents") == 1
    assert len(at_sandbox(company, document.transmission_id)) == 1


@pytest.mark.slow
def test_a_lookup_before_maventa_finished_sends_again_and_still_makes_one(
    sandbox, make_company, settings, operator_client
):
    sandbox.set_exchange(document_delivery_seconds=60)
    company = make_company()
    document = draft(company)
    settings.MAVENTA_READ_TIMEOUT = 0.3
    sandbox.script({"path": "/v1/documents", "method": "POST", "hang_seconds": 1.5, "times": 1})
    operator_client.post(reverse("exchange:document_confirm_send", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == Document.Status.UNKNOWN

    # The first request is still being handled: nothing listed yet, so it goes again.
    operator_client.post(reverse("exchange:document_reconcile", args=[document.pk]))
    time.sleep(1.5)  # the first request finishes: Maventa refuses its transmission id (422)

    document.refresh_from_db()
    assert document.status == Document.Status.PROCESSING
    assert sandbox.requests_to("POST /ax/v1/documents") == 2
    assert len(at_sandbox(company, document.transmission_id)) == 1
    assert [e.outcome for e in events_of("document.reconcile")] == ["done"]


def test_received_documents_are_fetched_once_with_their_files(sandbox, make_company):
    company = make_company()
    # Within the first sync's look-back (30 days): the generator's own default starts exactly
    # 30 days back, which a sync a moment later no longer reaches.
    since = timezone.now() - timedelta(days=1)
    made = sandbox.incoming(str(company.maventa_id), document_type="ORDER", count=3, since=since)

    first = document_sync.sync_received_documents(company=company)
    again = document_sync.sync_received_documents(company=company)

    assert (first.new, first.files) == (3, 3)
    assert (again.new, again.files) == (0, 0)
    for answer in made:
        document = Document.objects.get(maventa_id=answer["id"])
        assert (document.direction, document.type, document.status) == (
            "RECEIVED",
            "ORDER",
            "DELIVERED",
        )
        assert document.file_checksum == sha256(document.file)
        assert document.transmission_id is None
    assert [e.outcome for e in events_of("document.sync")] == ["done", "done"]


def test_fetch_now_and_confirm_delivery_then_maventas_409(sandbox, make_company, operator_client):
    company = make_company()
    sandbox.incoming(str(company.maventa_id), document_type="ORDER", count=1)

    operator_client.post(reverse("exchange:document_fetch"), {"company": company.pk})
    document = Document.objects.get(company=company)
    page = operator_client.get(reverse("exchange:document_detail", args=[document.pk]))
    assert 'id="confirm-delivery"' in page.content.decode()
    confirmed = operator_client.post(
        reverse("exchange:document_confirm_delivery", args=[document.pk]), follow=True
    )

    document.refresh_from_db()
    assert document.status == Document.Status.CONFIRMED_DELIVERY
    assert "Delivery confirmed to Maventa." in confirmed.content.decode()
    with pytest.raises(Conflict) as caught:
        document_sync.confirm_delivery(document=document)
    assert "delivery confirmed" in caught.value.staff_message
    assert [e.outcome for e in events_of("document.confirm_delivery")] == ["done", "failed"]
    assert events_of("document.sync")[0].company_id == company.pk


def test_a_failed_delivery_shows_maventas_reason(sandbox, make_company, viewer_client):
    sandbox.set_exchange(document_delivery_seconds=60)
    company = make_company()
    document = documents.send_document(document=draft(company))
    sandbox.set_document(str(document.maventa_id), status="FAILED", message="Access point refused")

    document_sync.refresh_document(document=document)

    assert document.status == Document.Status.FAILED
    assert document.error == "Access point refused"
    page = viewer_client.get(reverse("exchange:document_detail", args=[document.pk]))
    assert "Access point refused" in page.content.decode()
    assert 'id="refresh"' not in page.content.decode(), "a viewer reads, does not refresh"


def test_an_unknown_send_offers_the_lookup_to_operators_only(
    operator_client, viewer_client, verified
):
    document = draft(verified)
    Document.objects.filter(pk=document.pk).update(status="UNKNOWN", transmission_id="t-1")
    url = reverse("exchange:document_detail", args=[document.pk])

    assert "Look it up at Maventa" in operator_client.get(url).content.decode()
    assert "Look it up at Maventa" not in viewer_client.get(url).content.decode()


@pytest.mark.slow
def test_the_sweep_finds_settled_unknown_sends_only(sandbox, make_company, settings):
    sandbox.set_exchange(document_delivery_seconds=60)
    company = make_company()
    document = draft(company)
    settings.MAVENTA_READ_TIMEOUT = 0.3
    sandbox.script({"path": "/v1/documents", "method": "POST", "hang_seconds": 0.8, "times": 1})
    documents.send_document(document=document)
    _wait_for(lambda: at_sandbox(company, document.transmission_id))

    assert documents.reconcile_unknown_documents() == {"found": 0, "failed": 0}
    Document.objects.filter(pk=document.pk).update(sent_at=document.sent_at - documents.SWEEP_GRACE)
    assert documents.reconcile_unknown_documents() == {"found": 1, "failed": 0}
    assert sandbox.requests_to("POST /ax/v1/documents") == 1
