"""The portal's settings with a bare view added (bench/_webhook_urls.py): bench/webhooks.py."""

from maventa_portal.settings import *  # noqa: F403 - the portal's settings, unchanged

ROOT_URLCONF = "_webhook_urls"
