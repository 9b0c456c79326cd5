"""django-auditlog creates its own ``auditlog_logentry`` table even when AUDITLOG_LOGENTRY_MODEL
points elsewhere (django-auditlog issue 804). Left behind, its foreign keys to the user and
content-type tables make ``flush`` (and every transactional test on PostgreSQL) fail. The
portal writes to ``core.AuditEntry`` only, so the empty table is dropped; one holding rows
is left alone, so no record is ever lost here."""

from django.db import migrations

UNUSED_TABLE = "auditlog_logentry"


def drop_unused_table(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if UNUSED_TABLE not in connection.introspection.table_names(cursor):
            return
        cursor.execute(f"SELECT COUNT(*) FROM {UNUSED_TABLE}")  # noqa: S608 - a constant name
        if cursor.fetchone()[0]:
            return
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(UNUSED_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_roles"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_unused_table, migrations.RunPython.noop)]
