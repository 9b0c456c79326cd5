"""The receivables app's kinds of bulk work (gathered by core.bulk.kinds)."""

from __future__ import annotations

from maventa_portal.core.audit import Actor
from maventa_portal.core.bulk.kinds import BulkKind, Outcome
from maventa_portal.core.errors import PortalError
from maventa_portal.core.models import BulkItem, BulkRun

from .models import ServiceLevel
from .services import service_levels

ROW_GONE = "The customer was removed from the portal after the run started."


def set_level_for_item(item: BulkItem, run: BulkRun, actor: Actor) -> Outcome:
    row = ServiceLevel.objects.select_related("company").filter(pk=item.object_id).first()
    if row is None:
        raise PortalError(ROW_GONE)
    level = run.options["level"]
    service_levels.set_level(row=row, level=level, actor=actor)
    return Outcome(f"{row.customer_bid}: {row.get_level_display()}.", {"level": level})


KINDS = [
    BulkKind(
        name=service_levels.KIND,
        describe=lambda options: f"Setting service level {options.get('level', '')}",
        handle=set_level_for_item,
        start_permission="receivables.set_service_level",
        view_permission="receivables.view_servicelevel",
        item_noun="customer",
        items_noun="customers",
    ),
]
