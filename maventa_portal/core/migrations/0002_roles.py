from django.db import migrations

from maventa_portal.core.roles import OPERATORS, VIEWERS, grant

READ = [
    "core.view_auditentry",
    "django_q.view_schedule",
    "django_q.view_success",
    "django_q.view_failure",
    "django_q.view_ormq",
]


def create_roles(apps, schema_editor):
    grant(apps, {VIEWERS: READ, OPERATORS: READ})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
