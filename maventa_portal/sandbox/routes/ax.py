"""Routes of the AX API (``/sandbox/ax``); patterns are relative to the API root."""

from django.urls import path

from ..responses import by_method
from ..views import ax_auth, ax_companies

urlpatterns = [
    path("oauth2/token", by_method(POST=ax_auth.token)),
    path("oauth2/current", by_method(GET=ax_auth.current)),
    path("status/authenticated", by_method(GET=ax_auth.authenticated)),
    path("v1/users", by_method(POST=ax_companies.create_user)),
    path(
        "v1/companies",
        by_method(GET=ax_companies.list_companies, POST=ax_companies.create_company),
    ),
    path("v1/companies/<uuid:company_id>/status", by_method(GET=ax_companies.company_status)),
    path("v1/company", by_method(GET=ax_companies.current_company)),
    path("v1/company/authorization", by_method(GET=ax_companies.company_authorization)),
]
