"""Fetching received invoices now, as a bulk run staff start (the schedule runs the same kind)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .forms import FetchReceivedForm
from .services.receiving import exchanging_companies, start_sync_run

SYNC = "exchange.sync_received"
NONE_CAN_RECEIVE = (
    "No company can receive yet: a company needs to be verified (KYC) and linked with its "
    "API key first."
)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(SYNC)
def invoice_fetch(request: HttpRequest) -> HttpResponse:
    form = FetchReceivedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        companies = list(data["companies"]) or list(exchanging_companies())
        since = data["since"]
        if not companies:
            form.add_error(None, NONE_CAN_RECEIVE)
        else:
            with staff_errors(form) as outcome:
                run = start_sync_run(
                    companies=companies,
                    since=timezone.make_aware(datetime.combine(since, time.min)) if since else None,
                    actor=Actor.from_request(request),
                    request_key=data["request_key"],
                )
            if outcome.ok:
                messages.success(
                    request, f"Fetching received invoices of {len(companies)} companies."
                )
                return redirect("runs:progress", pk=run.pk)
    return render_staff_page(
        request, "exchange/invoice_fetch.html", {"form": form}, title="Fetch received invoices"
    )
