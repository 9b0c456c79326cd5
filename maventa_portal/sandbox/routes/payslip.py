"""Routes of the Payslip API (``/sandbox/payslip``); see ``views/payslip``."""

from django.urls import path

from ..responses import by_method
from ..views import payslip

urlpatterns = [
    path("register", by_method(POST=payslip.register)),
    path("input_public", by_method(POST=payslip.input_public)),
    path("file_status", by_method(POST=payslip.file_status)),
]
