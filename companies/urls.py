from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("new/", views.company_create, name="create"),
    path("link/", views.company_link, name="link"),
    path("import/", views.company_import, name="import"),
    path("unsaved/<int:pk>/save/", views.unsaved_save, name="unsaved_save"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/register/", views.company_register, name="register"),
    path("<int:pk>/key/", views.company_replace_key, name="replace_key"),
    path("<int:pk>/refresh/", views.company_refresh, name="refresh"),
    path("<int:pk>/verification/", views.company_request_verification, name="request_verification"),
]
