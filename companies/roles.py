"""What each portal role may do with companies (gathered by ``core.roles.sync_roles``)."""

from maventa_portal.core.roles import OPERATORS, VIEWERS

VIEW = [
    "companies.view_company",
    "companies.view_networkprofile",
    "companies.view_vendorkey",
    "companies.view_unsavedcompany",
]
ACT = [
    # Create, link and import companies (and save those kept by recovery).
    "companies.add_company",
    # Local edits in the admin, and refreshing state from Maventa.
    "companies.change_company",
    "companies.register_profiles",
    "companies.manage_credentials",
    "companies.request_verification",
]
GRANTS = {VIEWERS: VIEW, OPERATORS: VIEW + ACT}
