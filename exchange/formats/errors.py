"""Why an e-invoice file was refused, in words for staff.

Every refusal is an ``InvoiceFileError`` (a ``PortalError``, so the core helper shows its
``staff_message`` on a form or as a message); each kind of refusal has its own class so that
a caller can react to one (the send page routes a ``NotAnInvoice`` to the documents form).
The texts are module constants, as the tests check them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from maventa_portal.core.errors import PortalError

if TYPE_CHECKING:
    from exchange.formats.summary import DetectedFormat

FILE_TOO_LARGE = (
    "The file is {size_mb:.1f} MB; the portal reads e-invoices of at most {limit_mb} MB."
)
EMPTY_FILE = "The file is empty."
NOT_XML_KNOWN = "The file is {what}, not an e-invoice XML file."
NOT_XML = "The file is not well-formed XML ({detail})."
DOCTYPE_REFUSED = (
    "The file declares a DOCTYPE (or entities); e-invoices never do, so the portal does not "
    "read it."
)
UNKNOWN_FORMAT = (
    "This XML (root element <{root}>) is not an e-invoice format the portal reads: "
    "Finvoice, Peppol BIS Billing 3.0, EHF or TEAPPSXML."
)
UNKNOWN_UBL = (
    'This UBL {root} has the CustomizationID "{customization}", which is not Peppol BIS or '
    "EHF; the portal cannot tell its format."
)
UNKNOWN_VERSION = 'This is {name} version "{version}", which the portal does not read.'
NOT_AN_INVOICE = (
    "This is {article} {kind} ({format}), not an invoice or a credit note; send it as a "
    "document instead."
)
UNKNOWN_KIND = (
    'This {format} file has the type code "{code}", which is neither an invoice nor a credit note.'
)
SEVERAL_INVOICES = "The file holds {count} invoices; the portal reads one invoice a file."
MISSING_VALUE = "The invoice has no {field} ({path})."
INVALID_NUMBER = 'The invoice\'s {field} ({path}) is "{value}", which is not a number.'
INVALID_DATE = 'The invoice\'s {field} ({path}) is "{value}", which is not a valid date.'


class InvoiceFileError(PortalError):
    """An e-invoice file the portal will not read; ``staff_message`` says why."""

    staff_message = "The portal could not read this e-invoice file."


class FileTooLarge(InvoiceFileError):
    """Refused by its size, before any parsing."""


class NotXml(InvoiceFileError):
    """Empty, binary, or XML that does not parse."""


class UnsafeXml(InvoiceFileError):
    """A DOCTYPE or entity declaration: the door to XXE and entity expansion."""


class UnknownFormat(InvoiceFileError):
    """Well-formed XML in no format the portal reads."""


class NotAnInvoice(InvoiceFileError):
    """A known format, but an order, a catalogue...: a document, not an invoice."""

    def __init__(self, staff_message: str, *, detected: DetectedFormat | None = None) -> None:
        self.detected = detected
        super().__init__(staff_message)


class InvalidValue(InvoiceFileError):
    """A field missing, or not a number or a date; names the field and where it is."""

    def __init__(self, staff_message: str, *, field: str, path: str, value: str = "") -> None:
        self.field = field
        self.path = path
        self.value = value
        super().__init__(staff_message)
