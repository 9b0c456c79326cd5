from django.urls import path

from . import views

app_name = "receivables"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("fetch/", views.fetch_messages, name="fetch"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="reply"),
    path("threads/<int:pk>/flag/", views.thread_flag, name="flag"),
]
