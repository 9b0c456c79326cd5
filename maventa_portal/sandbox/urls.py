"""The sandbox's URLs: the control API, and one gateway in front of every imitated API root."""

from django.urls import include, re_path

from . import control, gateway

app_name = "sandbox"

urlpatterns = [
    re_path(r"^_control/", include(control.urlpatterns)),
    re_path(rf"^(?P<api>{gateway.API_PATTERN})(?P<path>/.*)?$", gateway.serve, name="api"),
]
