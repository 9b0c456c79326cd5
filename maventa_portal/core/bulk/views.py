"""One progress page, its JSON, and the retry actions, for every kind of bulk run."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..audit import Actor
from ..errors import staff_errors
from ..methods import post_only
from ..models import BulkRun
from ..permissions import check
from ..shortcuts import render_staff_page
from ..validators import neutralise_formula
from . import runs, selectors
from .forms import RequestKeyForm, options_form
from .kinds import BulkKind, get_kind

OPTIONS_INVALID = "Check the options: {errors}"


def _run(request: HttpRequest, pk: int, permission: str) -> tuple[BulkRun, BulkKind]:
    run = get_object_or_404(BulkRun.objects.select_related("created_by", "parent"), pk=pk)
    kind = get_kind(run.kind)
    check(request, getattr(kind, permission))
    return run, kind


def _items(run: BulkRun, kind: BulkKind, page) -> list[dict]:
    return [
        {
            "label": item.label,
            "url": kind.object_url(item),
            "status": item.status,
            "status_label": item.get_status_display(),
            "message": item.message,
            "attempts": item.attempts,
        }
        for item in page
    ]


@require_safe
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run(request, pk, "view_permission")
    page = selectors.items_page(run, request.GET.get("page"))
    may_start = request.user.has_perm(kind.start_permission)
    return render_staff_page(
        request,
        "core/bulk_run.html",
        {
            "run": run,
            "kind": kind,
            "counts": selectors.counts(run),
            "page": page,
            "items": _items(run, kind, page),
            "progress_url": reverse("runs:progress_json", args=[run.pk]),
            "may_start": may_start,
            "options_form": options_form(kind, run.options) if may_start else None,
            "key_form": RequestKeyForm(),
            "has_result_file": kind.result_csv is not None,
        },
        title=run.title,
    )


@require_safe
def progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    run, kind = _run(request, pk, "view_permission")
    page = selectors.items_page(run, request.GET.get("page"))
    return JsonResponse(
        {
            "counts": selectors.counts(run),
            "finished": run.finished_at is not None,
            "items": _items(run, kind, page),
        }
    )


def _options(request: HttpRequest, run: BulkRun, kind: BulkKind) -> tuple[bool, dict | None]:
    form = options_form(kind, run.options, data=request.POST)
    if form is None:
        return True, None
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        messages.error(request, OPTIONS_INVALID.format(errors=errors))
        return False, None
    return True, {**run.options, **form.cleaned_data}


@post_only("runs:progress")
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run(request, pk, "start_permission")
    valid, options = _options(request, run, kind)
    if valid:
        with staff_errors(request) as outcome:
            count = runs.retry_failed(run=run, actor=Actor.from_request(request), options=options)
        if outcome.ok:
            messages.info(request, f"Retrying {count} failed {kind.items_noun}.")
    return redirect("runs:progress", pk=run.pk)


@post_only("runs:progress")
def new_from_failed(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run(request, pk, "start_permission")
    valid, options = _options(request, run, kind)
    key = RequestKeyForm(request.POST)
    if valid and key.is_valid():
        with staff_errors(request) as outcome:
            new = runs.new_run_from_failed(
                run=run,
                actor=Actor.from_request(request),
                options=options,
                request_key=key.cleaned_data["request_key"],
            )
        if outcome.ok:
            messages.success(request, f"A new run over the failed {kind.items_noun} started.")
            return redirect("runs:progress", pk=new.pk)
    return redirect("runs:progress", pk=run.pk)


@require_safe
def result_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run(request, pk, "view_permission")
    if kind.result_csv is None:
        return redirect("runs:progress", pk=run.pk)
    header, rows = kind.result_csv(run)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-result.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([neutralise_formula(cell) for cell in row] for row in rows)
    return response
