"""``manage.py seed_demo``: demo data for the sandbox, idempotent.

The command runs ``seed_demo()`` from every local app's ``demo.py`` (see core/registry.py) in
``LOCAL_APPS`` order, so core's demo user exists before other apps' data. A ``seed_demo()``
takes no arguments, may be run any number of times, and may return a line to print.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maventa_portal.core.demo import DEMO_LOGINS
from maventa_portal.core.registry import local_app_modules

REFUSED_OUTSIDE_SANDBOX = (
    "seed_demo creates logins with published passwords; it runs with "
    "MAVENTA_ENV=sandbox only (now {environment})."
)


class Command(BaseCommand):
    help = "Creates the demo login and each app's demo data (sandbox only, idempotent)."

    def handle(self, *args, **options) -> None:
        if settings.MAVENTA_ENV != "sandbox":
            raise CommandError(REFUSED_OUTSIDE_SANDBOX.format(environment=settings.MAVENTA_ENV))
        for module in local_app_modules("demo"):
            summary = module.seed_demo()
            if summary:
                self.stdout.write(f"{module.__name__}: {summary}")
        for login in DEMO_LOGINS:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo {login.role}: username {login.username}, password {login.password}"
                )
            )
