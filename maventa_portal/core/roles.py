"""The two staff roles: *Portal operators* act, *Portal viewers* read.

Each app's data migration grants its own permissions with ``grant`` (idempotent), so the
roles grow with the apps: a new permission is added to ``OPERATORS`` or ``VIEWERS`` by a new
migration of the app that defines it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

OPERATORS = "Portal operators"
VIEWERS = "Portal viewers"
ROLES = (OPERATORS, VIEWERS)


def grant(apps, grants: Mapping[str, Iterable[str]]) -> None:
    """For data migrations: adds ``app_label.codename`` permissions to the named groups."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name in ROLES:
        Group.objects.get_or_create(name=group_name)
    for group_name, perms in grants.items():
        group = Group.objects.get(name=group_name)
        for perm in perms:
            app_label, _, codename = perm.partition(".")
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
