"""The client of Maventa's APIs. It imports nothing of Django and nothing of the portal."""

from .auth import CacheTokenStore, CompanyCredentials, MemoryTokenStore, OperatorCredentials
from .client import Api, Maventa
from .config import ClientConfig, RetryPolicy
from .errors import (
    AmbiguousOutcome,
    Conflict,
    Forbidden,
    Invalid,
    MaventaError,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)
from .files import Attachment, Download, zip_invoice
from .http import SLOW_MESSAGE, deadline
from .paging import Page
from .scopes import (
    ANALYSIS_SCOPE,
    DOCUMENT_SCOPES,
    EUI_SCOPE,
    EXCHANGE_SCOPES,
    INVOICE_SCOPES,
    LOOKUP_SCOPE,
    VALIDATE_SCOPE,
)

__all__ = [
    "ANALYSIS_SCOPE",
    "AmbiguousOutcome",
    "Api",
    "Attachment",
    "CacheTokenStore",
    "ClientConfig",
    "CompanyCredentials",
    "Conflict",
    "DOCUMENT_SCOPES",
    "Download",
    "EUI_SCOPE",
    "EXCHANGE_SCOPES",
    "Forbidden",
    "INVOICE_SCOPES",
    "Invalid",
    "LOOKUP_SCOPE",
    "Maventa",
    "MaventaError",
    "MemoryTokenStore",
    "NotFound",
    "OperatorCredentials",
    "Page",
    "RateLimited",
    "RetryPolicy",
    "SLOW_MESSAGE",
    "Unauthorized",
    "Unavailable",
    "VALIDATE_SCOPE",
    "deadline",
    "zip_invoice",
]
