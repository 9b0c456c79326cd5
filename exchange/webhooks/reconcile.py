"""The fallback ``reconcile``: what webhooks missed, polled from Maventa (API.md "Webhooks":
nothing is guaranteed, keep a fallback poll).

One pass reuses the polls the portal already has, each a step that may fail alone:

- sent invoices still moving (``status.refresh_sent``);
- sent documents still open, each read again and mirrored (``document_mirror``);
- received invoices and documents since each company's watermark (``receiving.sync_received``,
  ``document_sync.sync_received_documents``), for the companies that can receive;
- pending profiles and unverified companies (``companies.services.refresh_moving_states``),
  then each company's profiles as Maventa lists them (``sync_profiles``).

What each step covers is noted before and after it: whatever changed was not told by a
processed webhook (had it been, the row would have changed already), and becomes a finding on
the ``ReconcileRun``, with the webhook event that arrived for it and is not processed, if any.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone

from companies.access import company_api
from companies.models import Company, NetworkProfile
from companies.services import refresh_moving_states
from companies.services.profiles import sync_profiles
from maventa_portal.core.errors import STAFF_ERRORS, staff_message_of
from maventa_portal.maventa_api.ax import documents as ax_documents

from ..models import Direction, Document, Invoice, ReconcileRun, WebhookEvent
from ..services import document_mirror
from ..services.document_sync import sync_received_documents
from ..services.receiving import exchanging_companies, sync_received
from ..services.status import moving_sent_invoices, refresh_sent

log = logging.getLogger(__name__)

# Documents delivered this recently may still be confirmed or fail (as invoices: status.py).
DELIVERED_WATCH = timedelta(days=7)
DOCUMENTS_PER_RUN = 200
MAX_FINDINGS = 500
Findings = list[dict]


def reconcile(*, trigger: str = "schedule") -> ReconcileRun:
    """One pass; the run row holds its counts, findings and the steps that failed."""
    run = ReconcileRun.objects.create(trigger=trigger[:40])
    findings: Findings = []
    steps: dict[str, Callable[[Findings], dict]] = {
        "sent_invoices": _sent_invoices,
        "sent_documents": _sent_documents,
        "received": _received,
        "companies": _companies,
    }
    for name, step in steps.items():
        try:
            run.counts[name] = step(findings)
        except Exception as exc:
            log.exception("Reconcile step %s failed", name)
            run.errors.append(f"{name}: {staff_message_of(exc)}")
    run.findings = findings[:MAX_FINDINGS]
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "findings", "errors", "finished_at"])
    return run


def _unprocessed_event(object_id: str) -> str:
    """The webhook that told of this and is not applied yet, if one arrived."""
    event = (
        WebhookEvent.objects.filter(object_id=object_id)
        .exclude(state=WebhookEvent.State.PROCESSED)
        .order_by("-received_at")
        .values_list("name", "state")
        .first()
    )
    return f"{event[0]} arrived, {event[1]}" if event else "no webhook arrived"


def _finding(kind: str, pk: int, label: str, change: str, object_id: str = "") -> dict:
    webhook = _unprocessed_event(object_id) if object_id else "no webhook arrived"
    return {"kind": kind, "id": pk, "object": label, "change": change, "webhook": webhook}


def _sent_invoices(findings: Findings) -> dict:
    before = dict(moving_sent_invoices().values_list("pk", "status"))
    counts = refresh_sent()
    after = Invoice.objects.filter(pk__in=before).values_list(
        "pk", "status", "number", "maventa_id"
    )
    for pk, status, number, maventa_id in after:
        if status != before[pk]:
            change = f"{before[pk]} -> {status}"
            findings.append(
                _finding("sent invoice", pk, number or str(maventa_id), change, str(maventa_id))
            )
    return counts


def open_sent_documents():
    watched_since = timezone.now() - DELIVERED_WATCH
    still_open = Q(status__in=[Document.Status.PROCESSING, Document.Status.RESERVED]) | Q(
        status=Document.Status.DELIVERED, status_changed_at__gte=watched_since
    )
    return (
        Document.objects.filter(direction=Direction.SENT, maventa_id__isnull=False)
        .filter(still_open)
        .select_related("company", "company__credential", "company__vendor_key")
        .order_by("updated_at", "pk")
    )


def _sent_documents(findings: Findings) -> dict:
    counts = {"polled": 0, "changed": 0, "failed": 0}
    for document in open_sent_documents()[:DOCUMENTS_PER_RUN]:
        before = document.status
        try:
            api = company_api(document.company, scope=ax_documents.SCOPE)
            remote = ax_documents.get_document(api, document_id=str(document.maventa_id))
            document_mirror.apply_remote(document, remote)
        except STAFF_ERRORS as exc:
            counts["failed"] += 1
            log.warning("Reconcile could not read document %s: %s", document.pk, exc)
            continue
        counts["polled"] += 1
        if document.status != before:
            counts["changed"] += 1
            label = document.number or str(document.maventa_id)
            change = f"{before} -> {document.status}"
            findings.append(
                _finding("sent document", document.pk, label, change, str(document.maventa_id))
            )
    return counts


def _received(findings: Findings) -> dict:
    counts = {"companies": 0, "invoices": 0, "documents": 0, "failed": 0}
    invoices_before = Invoice.objects.aggregate(last=Max("pk"))["last"] or 0
    documents_before = Document.objects.aggregate(last=Max("pk"))["last"] or 0
    for company in exchanging_companies().select_related("credential", "vendor_key"):
        try:
            sync_received(company=company)
            sync_received_documents(company=company)
        except Exception as exc:  # noqa: BLE001 - the services logged it; the others go on
            counts["failed"] += 1
            log.warning("Reconcile could not fetch what %s received: %s", company, exc)
        counts["companies"] += 1
    for model, last, kind in (
        (Invoice, invoices_before, "invoices"),
        (Document, documents_before, "documents"),
    ):
        new = model.objects.filter(pk__gt=last, direction=Direction.RECEIVED)
        for pk, number, maventa_id in new.values_list("pk", "number", "maventa_id"):
            counts[kind] += 1
            label = number or str(maventa_id)
            findings.append(
                _finding(f"received {kind[:-1]}", pk, label, "fetched", str(maventa_id))
            )
    return counts


def _companies(findings: Findings) -> dict:
    """Unverified companies and pending profiles polled (the companies app's schedule work),
    then every profile of each company on Maventa listed: a registration whose every event was
    lost is known only that way."""
    profiles_before = {
        str(maventa_id): status
        for maventa_id, status in NetworkProfile.objects.exclude(maventa_id=None).values_list(
            "maventa_id", "status"
        )
    }
    unverified = Company.objects.exclude(company_state=Company.State.VERIFIED)
    companies_before = dict(unverified.values_list("pk", "company_state"))
    counts = refresh_moving_states()
    counts["listed"] = 0
    on_maventa = Company.objects.filter(maventa_id__isnull=False, credential__isnull=False)
    for company in on_maventa.select_related("credential", "vendor_key"):
        try:
            sync_profiles(company=company)
            counts["listed"] += 1
        except STAFF_ERRORS as exc:
            counts["failed"] += 1
            log.warning("Reconcile could not list the profiles of %s: %s", company, exc)
    after = NetworkProfile.objects.exclude(maventa_id=None).values_list(
        "pk", "maventa_id", "network", "status"
    )
    for pk, maventa_id, network, status in after:
        before = profiles_before.get(str(maventa_id))
        if before != status:
            change = f"{before} -> {status}" if before else f"registered, {status}"
            findings.append(_finding("profile", pk, network, change, str(maventa_id)))
    rows = Company.objects.filter(pk__in=companies_before).values_list(
        "pk", "company_state", "name"
    )
    for pk, state, name in rows:
        if state != companies_before[pk]:
            findings.append(_finding("company", pk, name, f"{companies_before[pk]} -> {state}"))
    return counts
