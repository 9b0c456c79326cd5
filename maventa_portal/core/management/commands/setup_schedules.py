"""``manage.py setup_schedules``: creates or updates the django-q2 schedules, idempotent.

Every local app may list its schedules in ``<app>/schedules.py`` as ``SCHEDULES``, a list of
dicts with ``name`` (unique, the key), ``func`` (dotted path) and any other field of
``django_q.models.Schedule`` (``schedule_type``, ``minutes``, ``cron``, ``args``...). Rows are
matched by name; schedules staff created by hand are left alone.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django_q.models import Schedule

from maventa_portal.core.registry import local_app_modules

SCHEDULE_FIELDS = {field.name for field in Schedule._meta.concrete_fields} - {"id"}


def registered_schedules() -> list[dict]:
    """Every app's ``SCHEDULES``, checked: unique names, known fields, importable functions."""
    found: dict[str, dict] = {}
    for module in local_app_modules("schedules"):
        for entry in module.SCHEDULES:
            name = entry.get("name")
            if not name or "func" not in entry:
                raise CommandError(f"{module.__name__}: every schedule needs a name and a func.")
            if name in found:
                raise CommandError(f"{module.__name__}: schedule {name!r} is registered twice.")
            unknown = set(entry) - SCHEDULE_FIELDS
            if unknown:
                raise CommandError(f"{module.__name__}: {name!r} has unknown fields {unknown}.")
            try:
                import_string(entry["func"])
            except ImportError as exc:
                raise CommandError(f"{module.__name__}: {name!r}: {exc}") from exc
            found[name] = entry
    return list(found.values())


class Command(BaseCommand):
    help = "Creates or updates the task schedules every app registers (idempotent)."

    def handle(self, *args, **options) -> None:
        schedules = registered_schedules()
        with transaction.atomic():
            for entry in schedules:
                fields = {key: value for key, value in entry.items() if key != "name"}
                _, created = Schedule.objects.update_or_create(name=entry["name"], defaults=fields)
                self.stdout.write(
                    f"{'Created' if created else 'Updated'} schedule {entry['name']!r}."
                )
        self.stdout.write(self.style.SUCCESS(f"{len(schedules)} schedule(s) in place."))
