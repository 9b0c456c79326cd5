"""Routes of the AX API (``/sandbox/ax``); patterns are relative to the API root."""

from django.urls import path

from ..responses import by_method
from ..views import (
    amili_v2,
    ax_analysis,
    ax_auth,
    ax_companies,
    ax_documents,
    ax_invoice_actions,
    ax_invoices,
    ax_lookup,
    ax_notifications,
    ax_op_credit,
    ax_partner,
    ax_profiles,
    receivables_service,
)

_INVOICE = "v1/invoices/<str:invoice_id>"

urlpatterns = [
    path("oauth2/token", by_method(POST=ax_auth.token)),
    path("oauth2/current", by_method(GET=ax_auth.current)),
    path("status/authenticated", by_method(GET=ax_auth.authenticated)),
    path("v1/users", by_method(POST=ax_companies.create_user)),
    path(
        "v1/companies",
        by_method(GET=ax_companies.list_companies, POST=ax_companies.create_company),
    ),
    path("v1/companies/authorizations", by_method(POST=ax_companies.send_authorizations)),
    path("v1/companies/<uuid:company_id>/status", by_method(GET=ax_companies.company_status)),
    path("v1/operator/companies", by_method(GET=ax_companies.operator_companies)),
    path(
        "v1/company/authorization",
        by_method(
            GET=ax_companies.company_authorization,
            POST=ax_companies.send_company_authorization,
        ),
    ),
    path(
        "v1/company/profiles",
        by_method(GET=ax_profiles.list_profiles, POST=ax_profiles.create_profile),
    ),
    path(
        "v1/company/profiles/<str:profile_id>",
        by_method(
            GET=ax_profiles.get_profile,
            PATCH=ax_profiles.patch_profile,
            DELETE=ax_profiles.delete_profile,
        ),
    ),
    path(
        "v1/company/profiles/<str:profile_id>/extensions",
        by_method(PUT=ax_profiles.put_extensions),
    ),
    # Webhook subscriptions (FIELDS.md section 4).
    path(
        "v1/company/notifications",
        by_method(
            GET=ax_notifications.list_notifications, POST=ax_notifications.create_notification
        ),
    ),
    path(
        "v1/company/notifications/<str:subscription_id>",
        by_method(
            GET=ax_notifications.get_notification, DELETE=ax_notifications.delete_notification
        ),
    ),
    # Invoices (FIELDS.md section 5); the public definitions before the {id} paths.
    path(
        "v1/invoices/reports/definitions",
        by_method(GET=ax_invoice_actions.report_definitions),
    ),
    path("v1/invoices", by_method(GET=ax_invoices.list_invoices, POST=ax_invoices.send)),
    path(_INVOICE, by_method(GET=ax_invoices.get_invoice)),
    path(f"{_INVOICE}/actions", by_method(GET=ax_invoices.list_actions)),
    path(f"{_INVOICE}/files/<str:file_id>", by_method(GET=ax_invoices.get_file)),
    path(f"{_INVOICE}/invoice_events", by_method(PATCH=ax_invoice_actions.invoice_events)),
    # Three paths, as the schema has them; the view is told which route by its kwargs.
    *(
        path(
            f"{_INVOICE}/reroute/{route}",
            by_method(PUT=ax_invoice_actions.reroute),
            {"route": route},
        )
        for route in ("einvoice", "email", "print")
    ),
    path(
        f"{_INVOICE}/reports",
        by_method(GET=ax_invoice_actions.invoice_reports, POST=ax_invoice_actions.invoice_reports),
    ),
    path(
        f"{_INVOICE}/reports/<str:report_id>",
        by_method(DELETE=ax_invoice_actions.delete_report),
    ),
    # Documents and their files (FIELDS.md section 6).
    path("v1/documents", by_method(GET=ax_documents.list_documents, POST=ax_documents.send)),
    path(
        "v1/documents/<str:document_id>",
        by_method(GET=ax_documents.get_document, PATCH=ax_documents.patch_document),
    ),
    path("v1/documents/<str:document_id>/events", by_method(GET=ax_documents.document_events)),
    path("v1/files", by_method(GET=ax_documents.list_files)),
    path("v1/files/<str:file_id>", by_method(GET=ax_documents.get_file)),
    # Partner feeds (FIELDS.md section 10): the newer names and the older ones.
    path("v1/partner/invoice_delivery_actions/inbound", by_method(GET=ax_partner.inbound)),
    path("v1/partner/invoice_events/received", by_method(GET=ax_partner.inbound)),
    path(
        "v1/partner/invoice_delivery_actions/outbound_errors",
        by_method(GET=ax_partner.outbound_errors),
    ),
    path("v1/partner/invoice_events/sent_errors", by_method(GET=ax_partner.outbound_errors)),
    # Lookup (FIELDS.md section 7).
    path("v1/lookup/receivers", by_method(GET=ax_lookup.receivers)),
    path("v1/lookup/endpoints", by_method(GET=ax_lookup.endpoints)),
    path("v1/entities/operators", by_method(GET=ax_lookup.operators)),
    # Detect (FIELDS.md section 8); the public definitions before the {id} path.
    path("v1/analysis/definitions", by_method(GET=ax_analysis.definitions)),
    path("v1/analysis", by_method(POST=ax_analysis.run_analysis)),
    path("v1/analysis/<str:resource_id>", by_method(GET=ax_analysis.analysis_results)),
    # Receivables activation is in the AX schema too (FIELDS.md section 9).
    # Read through amili_v2 so that a v2 onboarding's own part stays out of the v1 answer.
    path(
        "v1/services/receivables",
        by_method(
            GET=amili_v2.get_v1_service,
            PUT=receivables_service.put_service,
            DELETE=receivables_service.delete_service,
        ),
    ),
    # The newer Amili onboarding (FIELDS.md 13), outside the 2023 schema.
    path(
        "v2/services/amili/receivables",
        by_method(
            GET=amili_v2.get_service,
            PUT=amili_v2.put_service,
            PATCH=amili_v2.patch_service,
        ),
    ),
    # OP Laskulaina, invoice credit (FIELDS.md section 9).
    path(
        "v1/services/op_invoice_credit",
        by_method(GET=ax_op_credit.get_service, PUT=ax_op_credit.put_service),
    ),
    path("v1/services/op_invoice_credit/offer", by_method(GET=ax_op_credit.get_offer)),
    path(
        "v1/services/op_invoice_credit/settings",
        by_method(GET=ax_op_credit.get_settings, POST=ax_op_credit.post_settings),
    ),
    path(
        "v1/services/op_invoice_credit/available_credit",
        by_method(GET=ax_op_credit.get_available_credit),
    ),
    path(
        "v1/services/op_invoice_credit/withdrawal",
        by_method(POST=ax_op_credit.post_withdrawal),
    ),
    path(
        "v1/services/op_invoice_credit/direct_payment",
        by_method(POST=ax_op_credit.post_direct_payment),
    ),
    path(
        "v1/services/op_invoice_credit/account_statement",
        by_method(GET=ax_op_credit.get_account_statement),
    ),
]
