"""Demo data of the core app: the staff logins that ``make run`` prints, one per role."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import OPERATORS, VIEWERS

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - the sandbox's published demo login


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    group: str = ""  # empty: a superuser

    @property
    def line(self) -> str:
        return f"{self.role:<10} {self.username} / {self.password}"


DEMO_LOGINS = (
    DemoLogin("superuser", DEMO_USERNAME, DEMO_PASSWORD),
    DemoLogin("operator", "operator", "operator-portal-2026", OPERATORS),
    DemoLogin("viewer", "viewer", "viewer-portal-2026", VIEWERS),
)


def seed_demo() -> str:
    """Creates (or repairs) the demo logins; safe to run any number of times."""
    made = []
    for login in DEMO_LOGINS:
        user, created = get_user_model().objects.get_or_create(
            username=login.username, defaults={"email": f"{login.username}@example.com"}
        )
        user.is_active = user.is_staff = True
        user.is_superuser = not login.group
        # Set every time so that the printed password is the one that works.
        user.set_password(login.password)
        user.save()
        if login.group:
            user.groups.set([Group.objects.get(name=login.group)])
        made.append(f"{'created' if created else 'updated'} {login.role} {login.username!r}")
    return "; ".join(made) + "."
