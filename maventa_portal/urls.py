from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from exchange.webhooks import views as webhook_views
from maventa_portal.core import views as core_views

FAVICON = f"{settings.STATIC_URL}portal/favicon.svg"

admin.site.site_header = "Maventa Portal"
admin.site.site_title = "Maventa Portal"
admin.site.index_title = "Administration"

urlpatterns = [
    # The bare host leads to the staff dashboard (or, through it, to the login).
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers and tools that ask for /favicon.ico before reading a page's <link rel="icon">.
    path(
        "favicon.ico",
        RedirectView.as_view(url=FAVICON, http_method_names=["get", "head"]),
        name="favicon",
    ),
    path("admin/", admin.site.urls),
    # Maventa's deliveries: the one public POST, guarded by the webhook secret, not a login.
    path("webhooks/maventa/", webhook_views.maventa_webhook, name="maventa_webhook"),
    path("portal/companies/", include("companies.urls")),
    path("portal/runs/", include("maventa_portal.core.bulk.urls")),
    path("portal/exchange/", include("exchange.urls")),
    path("portal/messages/", include("receivables.urls")),
    path("portal/", include("maventa_portal.core.urls")),
]

if settings.IS_SANDBOX:
    urlpatterns.append(path("sandbox/", include("maventa_portal.sandbox.urls")))
