from django.urls import path

from . import document_views, print_views, receiving_views, subscription_views, views

app_name = "exchange"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("send/", views.invoice_send, name="send"),
    path("fetch/", receiving_views.invoice_fetch, name="fetch"),
    path(
        "webhooks/subscriptions/",
        subscription_views.webhook_subscriptions,
        name="webhook_subscriptions",
    ),
    path("webhooks/subscribe/", subscription_views.webhook_subscribe, name="webhook_subscribe"),
    path(
        "webhooks/subscribe-vendor/",
        subscription_views.webhook_subscribe_vendor,
        name="webhook_subscribe_vendor",
    ),
    path(
        "webhooks/subscriptions/<int:pk>/delete/",
        subscription_views.webhook_unsubscribe,
        name="webhook_unsubscribe",
    ),
    path(
        "webhooks/subscriptions/<int:pk>/register-again/",
        subscription_views.webhook_register_again,
        name="webhook_register_again",
    ),
    path(
        "webhooks/subscriptions/<int:pk>/add-events/",
        subscription_views.webhook_add_events,
        name="webhook_add_events",
    ),
    path("invoices/<int:pk>/", views.invoice_detail, name="detail"),
    path(
        "invoices/maventa/<uuid:maventa_id>/",
        views.invoice_by_maventa_id,
        name="by_maventa_id",
    ),
    path("invoices/<int:pk>/send/", views.invoice_confirm_send, name="confirm_send"),
    path("invoices/<int:pk>/refresh/", views.invoice_refresh, name="refresh"),
    path("invoices/<int:pk>/reroute/", views.invoice_reroute, name="reroute"),
    path("invoices/<int:pk>/report/", views.invoice_report, name="report"),
    path("invoices/<int:pk>/detect/", views.invoice_detect, name="detect"),
    path("invoices/<int:pk>/files/<str:kind>/", views.invoice_file, name="file"),
    path(
        "invoices/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
    path("documents/", document_views.document_list, name="documents"),
    path("documents/send/", document_views.document_send, name="document_send"),
    path("documents/fetch/", document_views.document_fetch, name="document_fetch"),
    path("documents/<int:pk>/", document_views.document_detail, name="document_detail"),
    path(
        "documents/<int:pk>/send/",
        document_views.document_confirm_send,
        name="document_confirm_send",
    ),
    path(
        "documents/<int:pk>/lookup/",
        document_views.document_reconcile,
        name="document_reconcile",
    ),
    path("documents/<int:pk>/refresh/", document_views.document_refresh, name="document_refresh"),
    path(
        "documents/<int:pk>/confirm-delivery/",
        document_views.document_confirm_delivery,
        name="document_confirm_delivery",
    ),
    path("documents/<int:pk>/file/", document_views.document_file, name="document_file"),
    path(
        "documents/<int:pk>/attachments/<int:attachment_id>/",
        document_views.document_attachment,
        name="document_attachment",
    ),
    path("print/", print_views.print_list, name="print_list"),
    path("print/send/", print_views.print_send, name="print_send"),
    path("print/<int:pk>/", print_views.print_detail, name="print_detail"),
    path("print/<int:pk>/check/", print_views.print_check, name="print_check"),
    path(
        "print/register/<int:company_pk>/",
        print_views.print_register,
        name="print_register",
    ),
]
