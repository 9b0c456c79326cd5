"""Routes of the Validator API (``/sandbox/validator``); patterns are relative to the API root.
Maventa publishes no paths for it (API.md): these are the sandbox's, see ``views/validator``."""

from django.urls import path

from ..responses import by_method
from ..views import validator

urlpatterns = [
    path("v1/validate", by_method(POST=validator.validate)),
    path("v1/rules", by_method(GET=validator.rules)),
]
