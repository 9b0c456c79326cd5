"""What each portal role may do with receivables (gathered by core.roles)."""

from maventa_portal.core.roles import OPERATORS, VIEWERS

VIEW = [
    "receivables.view_receivablesactivation",
    "receivables.view_assignment",
    "receivables.view_assignmentevent",
    "receivables.view_servicelevel",
    "receivables.view_messagethread",
    "receivables.view_message",
    "receivables.view_creditwithdrawal",
]
ACT = [
    "receivables.manage_receivables",
    "receivables.add_assignment_event",
    "receivables.set_service_level",
    "receivables.reply_message",
    "receivables.flag_messagethread",
    "receivables.manage_invoice_credit",
    "receivables.withdraw_credit",
]
GRANTS = {VIEWERS: VIEW, OPERATORS: VIEW + ACT}
