"""Bulk registrations move onto the portal's one bulk-run engine (core.BulkRun, core.BulkItem).

Runs keep their options, starter, times and each company's outcome; an item that was still
pending or running goes back to pending, for the engine's sweeper to finish.
"""

from django.db import migrations
from django.utils import timezone

KIND = "companies.register_profiles"


def _title(options):
    profiles = ", ".join(options["profiles"])
    visma = ", VISMA first where missing" if options["include_visma"] else ""
    return f"Registering {options['network']} profiles ({profiles}){visma}"[:300]


def move_runs(apps, schema_editor):
    Old = apps.get_model("companies", "BulkRegistration")
    Run = apps.get_model("core", "BulkRun")
    Item = apps.get_model("core", "BulkItem")
    for old in Old.objects.order_by("pk"):
        options = {
            "network": old.network,
            "profiles": list(old.profiles),
            "profile_version": old.profile_version,
            "include_visma": old.include_visma,
            "extensions": list(old.extensions),
        }
        run = Run.objects.create(
            kind=KIND,
            title=_title(options),
            options=options,
            created_by_id=old.created_by_id,
            finished_at=old.finished_at,
        )
        Run.objects.filter(pk=run.pk).update(created_at=old.created_at)
        Item.objects.bulk_create(
            Item(
                run=run,
                kind=KIND,
                position=position,
                object_id=item.company_id,
                label=f"{item.company.name} ({item.company.bid})"[:300],
                status="pending" if item.status == "running" else item.status,
                message=item.message,
                attempts=item.attempts,
                updated_at=item.updated_at or timezone.now(),
            )
            for position, item in enumerate(
                old.items.select_related("company").order_by("company__name", "pk"), start=1
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_company_bid_compact"),
        ("core", "0005_bulk_runs"),
    ]

    operations = [migrations.RunPython(move_runs, migrations.RunPython.noop)]
