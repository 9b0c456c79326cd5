"""The two staff roles: *Portal operators* act, *Portal viewers* read.

Each local app lists what its roles may do in ``<app>/roles.py`` as ``GRANTS`` (role name to
``app_label.codename`` permissions); core's own are here. ``sync_roles`` creates both groups
and adds every listed permission that exists: run by the data migration that introduces the
roles and after every ``migrate`` (and test-database flush), so that a new app's permissions
reach the roles as soon as its tables exist. It only adds: a permission an administrator gave
a role by hand stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

OPERATORS = "Portal operators"
VIEWERS = "Portal viewers"
ROLES = (OPERATORS, VIEWERS)

_TASKS_READ = [
    "django_q.view_schedule",
    "django_q.view_success",
    "django_q.view_failure",
    "django_q.view_ormq",
]
# Checking the connection asks Maventa nothing that changes and only refreshes what the home
# page shows, so readers may do it too.
GRANTS: Mapping[str, Iterable[str]] = {
    VIEWERS: ["core.view_auditentry", "core.check_connection", "core.view_bulkrun", *_TASKS_READ],
    OPERATORS: [
        "core.view_auditentry",
        "core.check_connection",
        "core.view_bulkrun",
        *_TASKS_READ,
    ],
}


def all_grants() -> dict[str, set[str]]:
    from .registry import local_app_modules

    grants: dict[str, set[str]] = {role: set() for role in ROLES}
    for source in (GRANTS, *(m.GRANTS for m in local_app_modules("roles"))):
        for role, perms in source.items():
            grants[role].update(perms)
    return grants


def sync_roles(apps=None, *, using: str = "default") -> None:
    """Creates the roles and adds their permissions; idempotent. ``apps``: a migration's."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in all_grants().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = [perm.partition(".") for perm in sorted(perms)]
        found = Permission.objects.using(using).filter(
            content_type__app_label__in={app for app, _, _ in wanted},
            codename__in={codename for _, _, codename in wanted},
        )
        keys = {(app, codename) for app, _, codename in wanted}
        group.permissions.add(
            *[
                p
                for p in found.select_related("content_type")
                if (p.content_type.app_label, p.codename) in keys
            ]
        )


def sync_roles_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    # post_migrate fires once per app, each creating its own permissions: wait for the last.
    from auditlog.context import disable_auditlog
    from django.apps import apps
    from django.db import connections

    from .models import AuditEntry

    if sender is not list(apps.get_app_configs())[-1]:
        return
    with connections[using].cursor() as cursor:
        tables = connections[using].introspection.table_names(cursor)
    if AuditEntry._meta.db_table in tables:
        sync_roles(using=using)
    else:
        # A migrate stopped short of the audit table (`migrate <app> <migration>`): the
        # roles still exist; the record of this change has nowhere to go yet.
        with disable_auditlog():
            sync_roles(using=using)
