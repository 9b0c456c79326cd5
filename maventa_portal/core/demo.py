"""Demo data of the core app: the staff login that ``make run`` prints."""

from django.contrib.auth import get_user_model

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - the sandbox's published demo login


def seed_demo() -> str:
    """Creates (or repairs) the demo superuser; safe to run any number of times."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
    )
    user.is_active = user.is_staff = user.is_superuser = True
    # Set every time so that the printed password is the one that works.
    user.set_password(DEMO_PASSWORD)
    user.save()
    return f"{'Created' if created else 'Updated'} superuser {DEMO_USERNAME!r}."
