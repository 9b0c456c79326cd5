"""``manage.py reconcile``: catches now what webhooks missed (exchange/webhooks/reconcile.py).

Sent invoices and documents still open, received invoices and documents since each company's
watermark, pending profiles and unverified companies, polled from Maventa. Prints what each
step did and every change no webhook had told; exits with an error when a step failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from exchange.webhooks.reconcile import reconcile


class Command(BaseCommand):
    help = "Polls Maventa for what webhooks may have missed, and records what it found."

    def handle(self, *args, **options) -> None:
        run = reconcile(trigger="manage.py reconcile")
        for step, counts in run.counts.items():
            shown = ", ".join(f"{name} {value}" for name, value in counts.items())
            self.stdout.write(f"{step}: {shown}")
        for finding in run.findings:
            self.stdout.write(
                f"missed by webhooks: {finding['kind']} {finding['object']}: "
                f"{finding['change']} ({finding['webhook']})"
            )
        if run.errors:
            raise CommandError("; ".join(run.errors))
        self.stdout.write(self.style.SUCCESS(f"{len(run.findings)} change(s) no webhook had told."))
