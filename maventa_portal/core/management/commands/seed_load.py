"""``manage.py seed_load --invoices 100000``: a database filled for measuring (sandbox only).

Each local app's ``load.py`` (core/registry.py) has ``load(plan)``, run in ``LOCAL_APPS`` order
(companies before the apps that hang rows on them), and ``reset()``, run in reverse order.
Rows go in with ``bulk_create`` in batches, bypassing signals and the audit trail, drawn from a
seeded random generator: the same command on an empty database makes the same rows.

Run again, it adds: the loaded companies are topped up to ``--companies`` and every other kind
gets as many new rows again. ``--reset`` first removes what earlier runs loaded (the companies at
``seeding.LOAD_EMAIL_DOMAIN`` and everything of theirs), leaving other data alone.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from maventa_portal.core.registry import local_app_modules
from maventa_portal.core.seeding import LoadPlan

REFUSED_OUTSIDE_SANDBOX = (
    "seed_load fills the database with made-up companies and invoices; it runs with "
    "MAVENTA_ENV=sandbox only (now {environment})."
)
KINDS = ("companies", "documents", "events", "print_batches", "threads", "assignments")


class Command(BaseCommand):
    help = "Loads made-up companies, invoices and the rest for measuring (sandbox only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--invoices", type=int, default=100_000)
        for kind in KINDS:
            parser.add_argument(
                f"--{kind.replace('_', '-')}",
                type=int,
                default=None,
                help="Default: in proportion to --invoices (companies: 300 in all).",
            )
        parser.add_argument("--seed", type=int, default=19)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--reset", action="store_true", help="Remove what earlier runs loaded first."
        )

    def handle(self, *args, **options) -> None:
        if settings.MAVENTA_ENV != "sandbox":
            raise CommandError(REFUSED_OUTSIDE_SANDBOX.format(environment=settings.MAVENTA_ENV))
        plan = LoadPlan.for_invoices(
            options["invoices"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            **{kind: options[kind] for kind in KINDS},
        )
        modules = list(local_app_modules("load"))
        started = time.perf_counter()
        if options["reset"]:
            for module in reversed(modules):
                with transaction.atomic():
                    self.stdout.write(f"{module.__name__}: {module.reset()}")
        for module in modules:
            begun = time.perf_counter()
            with transaction.atomic():
                summary = module.load(plan)
            self.stdout.write(f"{module.__name__}: {summary} ({time.perf_counter() - begun:.1f} s)")
        # Fresh statistics: right after a bulk load the planner still believes the tables are
        # empty and picks plans (a scan of every FAILED invoice per company) that it would not
        # once autovacuum has run.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"seed_load done in {time.perf_counter() - started:.1f} s")
        )
