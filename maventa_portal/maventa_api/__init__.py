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
from .http import SLOW_MESSAGE, deadline

__all__ = [
    "AmbiguousOutcome",
    "Api",
    "CacheTokenStore",
    "ClientConfig",
    "CompanyCredentials",
    "Conflict",
    "Forbidden",
    "Invalid",
    "Maventa",
    "MaventaError",
    "MemoryTokenStore",
    "NotFound",
    "OperatorCredentials",
    "RateLimited",
    "RetryPolicy",
    "SLOW_MESSAGE",
    "Unauthorized",
    "Unavailable",
    "deadline",
]
