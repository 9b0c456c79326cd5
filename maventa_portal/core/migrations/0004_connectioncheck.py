from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_check_connection(apps, schema_editor):
    """Both roles get core.check_connection now, as 0002_roles gave theirs: a grant made later,
    by the post-migrate sync, would land in the audit trail as a change of each group."""
    from maventa_portal.core.roles import sync_roles

    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_drop_unused_auditlog_table"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConnectionCheck",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("environment", models.CharField(max_length=16, unique=True)),
                ("ok", models.BooleanField(default=False)),
                ("checked_at", models.DateTimeField()),
                ("duration_ms", models.PositiveIntegerField(default=0)),
                ("client_id", models.CharField(blank=True, max_length=100)),
                ("token_expires_at", models.CharField(blank=True, max_length=64)),
                ("message", models.TextField(blank=True)),
            ],
            options={
                "permissions": [("check_connection", "Can check the connection to Maventa now")],
            },
        ),
        migrations.RunPython(grant_check_connection, migrations.RunPython.noop),
    ]
