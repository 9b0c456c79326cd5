"""Login security: lockout after repeated failures, and two-factor authentication for staff.

django-axes counts failed logins per username and per address and locks either out for
``LOGIN_COOLOFF_MINUTES`` (``lockout`` draws the page); django-otp checks the second factor.
``TwoFactorMiddleware`` decides who must show a code before any staff page or the admin:
everyone with a confirmed device, and, when ``REQUIRE_2FA`` is on, every staff user (who
without a device is sent to set one up). ``services`` holds the devices and codes; nothing
else reads or writes them.
"""
