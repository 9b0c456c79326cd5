from django.db import migrations

from maventa_portal.core.roles import OPERATORS, VIEWERS, grant

VIEW = [
    "companies.view_company",
    "companies.view_networkprofile",
    "companies.view_bulkregistration",
    "companies.view_bulkregistrationitem",
    "companies.view_vendorkey",
]
ACT = [
    # Create, link and import companies; local edits and refreshes from Maventa.
    "companies.add_company",
    "companies.change_company",
    "companies.register_profiles",
    "companies.manage_credentials",
    "companies.request_verification",
]


def grant_company_permissions(apps, schema_editor):
    grant(apps, {VIEWERS: VIEW, OPERATORS: VIEW + ACT})


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_company_permissions"),
        ("core", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_company_permissions, migrations.RunPython.noop)]
