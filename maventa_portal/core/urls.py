from django.contrib.auth import views as auth_views
from django.urls import include, path

from maventa_portal.core import attention_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("attention/", attention_views.attention_queue, name="attention"),
    path("check-connection/", views.check_connection, name="check_connection"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only, so a link cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", include("maventa_portal.core.twofactor.urls")),
]
