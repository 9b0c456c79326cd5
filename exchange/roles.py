"""What each portal role may do with invoices and documents (gathered by core.roles)."""

from maventa_portal.core.roles import OPERATORS, VIEWERS

VIEW = [
    "exchange.view_invoice",
    "exchange.view_invoiceaction",
    "exchange.view_document",
    "exchange.view_attachment",
    "exchange.view_fraudreport",
    "exchange.view_detectresult",
    "exchange.view_receivewatermark",
    "exchange.view_webhookevent",
    "exchange.view_webhooksubscription",
    "exchange.view_reconcilerun",
    "exchange.view_printaccount",
    "exchange.view_printbatch",
]
ACT = [
    "exchange.send_invoice",
    "exchange.sync_received",
    "exchange.reroute_invoice",
    "exchange.report_fraud",
    "exchange.run_detect",
    "exchange.reprocess_webhookevent",
    "exchange.manage_webhooksubscription",
    "exchange.register_print",
    "exchange.send_print",
]
GRANTS = {VIEWERS: VIEW, OPERATORS: VIEW + ACT}
