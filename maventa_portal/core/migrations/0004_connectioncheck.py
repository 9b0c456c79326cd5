from django.db import migrations, models


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
    ]
