from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("send/", views.invoice_send, name="send"),
    path("invoices/<int:pk>/", views.invoice_detail, name="detail"),
    path("invoices/<int:pk>/send/", views.invoice_confirm_send, name="confirm_send"),
    path("invoices/<int:pk>/reroute/", views.invoice_reroute, name="reroute"),
    path("invoices/<int:pk>/report/", views.invoice_report, name="report"),
    path("invoices/<int:pk>/detect/", views.invoice_detect, name="detect"),
    path("invoices/<int:pk>/files/<str:kind>/", views.invoice_file, name="file"),
    path(
        "invoices/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
]
