"""A URLconf for tests of the error middleware: the portal's own URLs plus a failing view."""

from django.urls import path

from maventa_portal.maventa_api.errors import Unavailable
from maventa_portal.urls import urlpatterns as portal_urlpatterns


def fail_with_maventa_outage(request):
    raise Unavailable(
        "connection refused", method="GET", url="https://ax.example.test/v1/company?api_key=s3cr3t"
    )


urlpatterns = [
    *portal_urlpatterns,
    path("portal/test-maventa-outage/", fail_with_maventa_outage),
]
