from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from maventa_portal.core import views as core_views

admin.site.site_header = "Maventa Portal"
admin.site.site_title = "Maventa Portal"
admin.site.index_title = "Administration"

urlpatterns = [
    # The bare host leads to the staff dashboard (or, through it, to the login).
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("portal/companies/", include("companies.urls")),
    path("portal/", include("maventa_portal.core.urls")),
]

if settings.IS_SANDBOX:
    urlpatterns.append(path("sandbox/", include("maventa_portal.sandbox.urls")))
