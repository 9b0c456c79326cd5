"""Routes of the AX API (``/sandbox/ax``); patterns are relative to the API root."""

from django.urls import path

from ..responses import by_method
from ..views import ax_auth, ax_companies, ax_profiles

urlpatterns = [
    path("oauth2/token", by_method(POST=ax_auth.token)),
    path("oauth2/current", by_method(GET=ax_auth.current)),
    path("status/authenticated", by_method(GET=ax_auth.authenticated)),
    path("v1/users", by_method(POST=ax_companies.create_user)),
    path(
        "v1/companies",
        by_method(GET=ax_companies.list_companies, POST=ax_companies.create_company),
    ),
    path("v1/companies/authorizations", by_method(POST=ax_companies.send_authorizations)),
    path("v1/companies/<uuid:company_id>/status", by_method(GET=ax_companies.company_status)),
    path("v1/operator/companies", by_method(GET=ax_companies.operator_companies)),
    path(
        "v1/company/authorization",
        by_method(
            GET=ax_companies.company_authorization,
            POST=ax_companies.send_company_authorization,
        ),
    ),
    path(
        "v1/company/profiles",
        by_method(GET=ax_profiles.list_profiles, POST=ax_profiles.create_profile),
    ),
    path(
        "v1/company/profiles/<str:profile_id>",
        by_method(
            GET=ax_profiles.get_profile,
            PATCH=ax_profiles.patch_profile,
            DELETE=ax_profiles.delete_profile,
        ),
    ),
    path(
        "v1/company/profiles/<str:profile_id>/extensions",
        by_method(PUT=ax_profiles.put_extensions),
    ),
]
