"""State of the imitated Maventa, one module per area; every model is importable from here.

- ``companies``: vendors, operators, users, companies, tokens, registrations, webhook events;
- ``invoices``: invoices sent and received, their files, actions, fraud reports, Detect runs;
- ``documents``: other business documents (orders, ...), their files and events;
- ``webhooks``: notification subscriptions and the outbox of their deliveries;
- ``receivables``: the Receivables service, assignments, service levels and Amili messages;
- ``op_credit``: OP Laskulaina (invoice credit) and the entries of its credit account;
- ``payslip``: Direct Print accounts and the zip packages sent to print.
"""

from .companies import Company, Event, Operator, Registration, Token, User, Vendor, digest
from .documents import Document, DocumentEvent, DocumentFile
from .invoices import Analysis, FraudReport, Invoice, InvoiceAction, InvoiceFile
from .op_credit import OpCreditEntry, OpInvoiceCredit
from .payslip import PrintAccount, PrintPackage
from .receivables import (
    Assignment,
    AssignmentEvent,
    Message,
    MessageThread,
    ReceivablesService,
    ServiceLevel,
)
from .webhooks import Delivery, DeliveryAttempt, Subscription

__all__ = [
    "Analysis",
    "Assignment",
    "AssignmentEvent",
    "Message",
    "MessageThread",
    "OpCreditEntry",
    "OpInvoiceCredit",
    "ReceivablesService",
    "ServiceLevel",
    "Company",
    "Delivery",
    "DeliveryAttempt",
    "Document",
    "DocumentEvent",
    "DocumentFile",
    "Event",
    "FraudReport",
    "Invoice",
    "InvoiceAction",
    "InvoiceFile",
    "Operator",
    "PrintAccount",
    "PrintPackage",
    "Registration",
    "Subscription",
    "Token",
    "User",
    "Vendor",
    "digest",
]
