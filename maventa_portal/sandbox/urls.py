"""The sandbox's URLs: the control API, and one gateway in front of every imitated API root.

The gateway takes any path below an API root, a newline in it included (hence ``(?s:...)``),
so that each one is counted, faulted and answered with Maventa's JSON 404 if unknown.
"""

from django.urls import include, re_path

from . import control, gateway

app_name = "sandbox"

urlpatterns = [
    re_path(r"^_control/", include(control.urlpatterns)),
    re_path(rf"^(?P<api>{gateway.API_PATTERN})(?P<path>/(?s:.*))?$", gateway.serve, name="api"),
]
