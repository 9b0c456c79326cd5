from django.urls import path

from . import views

app_name = "runs"

urlpatterns = [
    path("<int:pk>/", views.progress, name="progress"),
    path("<int:pk>/progress.json", views.progress_json, name="progress_json"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/new-from-failed/", views.new_from_failed, name="new_from_failed"),
    path("<int:pk>/result.csv", views.result_csv, name="result_csv"),
]
