from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("companies", "0005_move_bulk_registrations")]

    operations = [
        migrations.DeleteModel(name="BulkRegistrationItem"),
        migrations.DeleteModel(name="BulkRegistration"),
    ]
