from django.urls import path

from . import activation_views, assignment_views, credit_views, views

app_name = "receivables"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("fetch/", views.fetch_messages, name="fetch"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="reply"),
    path("threads/<int:pk>/flag/", views.thread_flag, name="flag"),
    path(
        "activation/<int:company_pk>/",
        activation_views.company_receivables,
        name="activation",
    ),
    path(
        "activation/<int:company_pk>/disable/",
        activation_views.company_receivables_disable,
        name="activation_disable",
    ),
    path(
        "activation/<int:company_pk>/image/",
        activation_views.company_receivables_image,
        name="activation_image",
    ),
    path(
        "activation/<int:company_pk>/refresh/",
        activation_views.company_receivables_refresh,
        name="activation_refresh",
    ),
    path("assignments/", assignment_views.assignment_list, name="assignments"),
    path("assignments/<int:pk>/", assignment_views.assignment_detail, name="assignment"),
    path(
        "assignments/<int:pk>/events/",
        assignment_views.assignment_add_event,
        name="assignment_event",
    ),
    path(
        "assignments/<int:pk>/messages/",
        assignment_views.assignment_message,
        name="assignment_message",
    ),
    # OP Laskulaina, invoice credit.
    path("credit/<int:company_pk>/", credit_views.company_credit, name="credit"),
    path("credit/<int:company_pk>/activate/", credit_views.credit_activate, name="credit_activate"),
    path("credit/<int:company_pk>/terms/", credit_views.credit_terms, name="credit_terms"),
    path("credit/<int:company_pk>/withdraw/", credit_views.credit_withdraw, name="credit_withdraw"),
    path(
        "credit/<int:company_pk>/withdraw/confirm/",
        credit_views.credit_withdraw_confirm,
        name="credit_withdraw_confirm",
    ),
    path(
        "credit/<int:company_pk>/direct_payment/",
        credit_views.credit_direct_payment,
        name="credit_direct_payment",
    ),
    path(
        "credit/<int:company_pk>/statement/",
        credit_views.credit_statement,
        name="credit_statement",
    ),
]
