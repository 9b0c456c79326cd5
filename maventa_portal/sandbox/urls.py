"""The sandbox's URLs: the control API, and one gateway in front of every imitated API root.

The gateway takes any path below an API root, a newline in it included (hence ``(?s:...)``),
so that each one is counted, faulted and answered with Maventa's JSON 404 if unknown.
"""

from django.urls import include, path, re_path

from . import control, gateway
from .views import amili_kyc

app_name = "sandbox"

urlpatterns = [
    re_path(r"^_control/", include(control.urlpatterns)),
    # Where the newer Amili onboarding's activation_url leads (KYC and signing).
    path("amili/kyc/<str:token>/", amili_kyc.kyc_page, name="amili_kyc"),
    re_path(rf"^(?P<api>{gateway.API_PATTERN})(?P<path>/(?s:.*))?$", gateway.serve, name="api"),
]
