"""Every write of the companies app; import from here."""

from .onboarding import (
    RowResult,
    create_company,
    import_companies_csv,
    link_company,
    replace_api_key,
)
from .profiles import RegistrationResult, register_profiles
from .status import (
    UnknownCompany,
    apply_authorization_event,
    apply_network_event,
    refresh_company_state,
    refresh_moving_states,
    refresh_profile,
    request_verification,
)

__all__ = [
    "RegistrationResult",
    "RowResult",
    "UnknownCompany",
    "apply_authorization_event",
    "apply_network_event",
    "create_company",
    "import_companies_csv",
    "link_company",
    "refresh_company_state",
    "refresh_moving_states",
    "refresh_profile",
    "register_profiles",
    "replace_api_key",
    "request_verification",
]
