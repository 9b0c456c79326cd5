from django.db import migrations

from maventa_portal.core.roles import OPERATORS, VIEWERS, grant


def grant_unsaved_view(apps, schema_editor):
    grant(apps, {role: ["companies.view_unsavedcompany"] for role in (OPERATORS, VIEWERS)})


class Migration(migrations.Migration):
    dependencies = [("companies", "0004_unsaved_companies_and_plain_text")]

    operations = [migrations.RunPython(grant_unsaved_view, migrations.RunPython.noop)]
