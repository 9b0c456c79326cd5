"""Every write of the companies app; import from here."""

from .csv_import import import_companies_csv
from .onboarding import (
    create_company,
    draft_company,
    link_company,
    replace_api_key,
    save_unsaved,
)
from .profiles import RegistrationResult, register_profiles
from .status import (
    UnknownCompany,
    apply_authorization_event,
    apply_network_event,
    refresh_company,
    refresh_company_state,
    refresh_moving_states,
    refresh_profile,
    request_verification,
)

__all__ = [
    "RegistrationResult",
    "UnknownCompany",
    "apply_authorization_event",
    "apply_network_event",
    "create_company",
    "draft_company",
    "import_companies_csv",
    "link_company",
    "refresh_company",
    "refresh_company_state",
    "refresh_moving_states",
    "refresh_profile",
    "register_profiles",
    "replace_api_key",
    "request_verification",
    "save_unsaved",
]
