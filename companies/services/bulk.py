"""Registering profiles for many companies at once: one task per company, a progress record.

The run is cut into one item per company; each item is a django-q2 task on the `bulk`
cluster, whose worker count (BULK_CONCURRENCY) bounds how many companies are handled at
once. A 429 is first waited out inside the client (short Retry-After); a longer one puts the
item back as pending with a one-off schedule at the time Maventa named.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.errors import STAFF_ERRORS, Refused, staff_message_of
from maventa_portal.maventa_api import RateLimited

from ..models import BulkRegistration, BulkRegistrationItem, Company, Network
from ..profile_rules import RegistrationRefused, default_profile_version
from .profiles import register_profiles

log = logging.getLogger(__name__)

TASK = "companies.tasks.register_profiles_for_item"
MAX_ATTEMPTS = 5
SLOWED_DOWN = "Maventa asked us to slow down; trying again at {at:%H:%M:%S}."
VISMA_FIRST_IN_BULK = (
    "{reason} Start a new run with “Register VISMA invoice receiving first” ticked, or "
    "register VISMA for it on its own page."
)
UNEXPECTED = "An unexpected error stopped this company; the error is in the log. Retry it."
NO_COMPANIES = "Select at least one company."
Status = BulkRegistrationItem.Status


def start_bulk_registration(
    *,
    company_ids: Iterable[int],
    network: str,
    profiles: Iterable[str],
    profile_version: str = "",
    include_visma: bool = False,
    extensions: Iterable[str] = (),
    actor: Actor | None = None,
) -> BulkRegistration:
    company_ids = sorted(set(company_ids))
    asked = {
        "companies": len(company_ids),
        "network": network,
        "profiles": list(profiles),
        "profile_version": profile_version,
        "include_visma": include_visma,
        "extensions": list(extensions),
    }
    with recording(actor, "bulk.start", target=BulkRegistration, asked=asked) as rec:
        if not company_ids:
            raise Refused(NO_COMPANIES)
        user = getattr(actor, "user", None)
        with transaction.atomic():
            run = BulkRegistration.objects.create(
                network=Network(network),
                profiles=list(profiles),
                profile_version=profile_version,
                include_visma=include_visma,
                extensions=list(extensions),
                created_by=user if getattr(user, "pk", None) else None,
            )
            items = BulkRegistrationItem.objects.bulk_create(
                BulkRegistrationItem(run=run, company_id=pk) for pk in company_ids
            )
            # SQLite and PostgreSQL both return the new primary keys from bulk_create.
            item_ids = [item.pk for item in items]
            transaction.on_commit(lambda: _enqueue(run, item_ids))
        rec.target = run
    return run


def retry_failed(*, run: BulkRegistration, actor: Actor | None = None) -> int:
    with recording(actor, "bulk.retry", target=run) as rec:
        with transaction.atomic():
            item_ids = list(run.items.filter(status=Status.FAILED).values_list("pk", flat=True))
            run.items.filter(pk__in=item_ids).update(status=Status.PENDING, message="", attempts=0)
            BulkRegistration.objects.filter(pk=run.pk).update(finished_at=None)
            transaction.on_commit(lambda: _enqueue(run, item_ids))
        rec.note = f"{len(item_ids)} failed companies retried."
    return len(item_ids)


def _actor_of(run: BulkRegistration) -> Actor:
    # The run acts for whoever started it: each company's entry names them and the run.
    return Actor(user=run.created_by, via=f"bulk run {run.pk}")


def _enqueue(run: BulkRegistration, item_ids: list[int]) -> None:
    for item_id in item_ids:
        # The item row is the record of the outcome: django-q2 need not store each success.
        async_task(TASK, item_id, cluster="bulk", group=f"bulk-registration-{run.pk}", save=False)


def run_item(*, item_id: int) -> str:
    """The task body: register for one company and record the outcome on its item."""
    with transaction.atomic():
        claimed = BulkRegistrationItem.objects.filter(
            pk=item_id, status__in=[Status.PENDING, Status.RUNNING]
        ).update(status=Status.RUNNING)
    if not claimed:
        return "skipped"  # already finished: a duplicate delivery of the task
    item = BulkRegistrationItem.objects.select_related(
        "run", "run__created_by", "company", "company__credential", "company__vendor_key"
    ).get(pk=item_id)
    run = item.run
    company: Company = item.company
    item.attempts += 1
    try:
        result = register_profiles(
            company=company,
            network=run.network,
            profiles=run.profiles,
            profile_version=run.profile_version or default_profile_version(company.country),
            extensions=run.extensions,
            include_visma=run.include_visma,
            actor=_actor_of(run),
        )
        status, message = Status.DONE, result.summary
    except RegistrationRefused as exc:
        # "Retry failed" repeats the same choices: say what would change the answer.
        reason = exc.staff_message.split(" Register both")[0]
        message = VISMA_FIRST_IN_BULK.format(reason=reason) if exc.offer else exc.staff_message
        status = Status.FAILED
    except RateLimited as exc:
        if item.attempts >= MAX_ATTEMPTS:
            status, message = Status.FAILED, exc.staff_message
        else:
            at = timezone.now() + timedelta(seconds=exc.retry_after or 60)
            Schedule.objects.create(
                # Schedule names are unique; a retried run may come back to this item.
                name=f"bulk-item-{item.pk}-{uuid.uuid4().hex[:12]}",
                func=TASK,
                args=f"({item.pk},)",
                schedule_type=Schedule.ONCE,
                next_run=at,
                repeats=1,
                cluster="bulk",
            )
            status, message = Status.PENDING, SLOWED_DOWN.format(at=timezone.localtime(at))
    except STAFF_ERRORS as exc:
        log.warning("Bulk registration %s, company %s: %s", run.pk, company.pk, exc)
        status, message = Status.FAILED, staff_message_of(exc)
    except Exception:
        log.exception("Bulk registration %s, company %s failed unexpectedly", run.pk, company.pk)
        status, message = Status.FAILED, UNEXPECTED
    item.status, item.message = status, message
    item.save(update_fields=["status", "message", "attempts", "updated_at"])
    _finish_if_done(run)
    return status


def _finish_if_done(run: BulkRegistration) -> None:
    open_items = run.items.filter(status__in=[Status.PENDING, Status.RUNNING])
    if not open_items.exists():
        BulkRegistration.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )


def progress(run: BulkRegistration) -> dict[str, int]:
    counts = run.items.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Status.DONE)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        running=Count("pk", filter=Q(status=Status.RUNNING)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )
    counts["finished"] = counts["done"] + counts["failed"]
    counts["percent"] = (
        round(100 * counts["finished"] / counts["total"]) if counts["total"] else 100
    )
    return counts
