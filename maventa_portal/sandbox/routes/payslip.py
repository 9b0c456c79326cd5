"""Routes of the Payslip API (`/sandbox/payslip`); endpoints come with their features."""

urlpatterns: list = []
