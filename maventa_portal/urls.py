from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from maventa_portal.core import views as core_views

admin.site.site_header = "Maventa Portal"
admin.site.site_title = "Maventa Portal"
admin.site.index_title = "Administration"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("portal/", include("maventa_portal.core.urls")),
]

if settings.IS_SANDBOX:
    urlpatterns.append(path("sandbox/", include("maventa_portal.sandbox.urls")))
