"""Secrets that arrive in URLs (Maventa's webhooks carry ``?secret=``) kept out of every log line.

The development server logs a failed request's line, query string included; a filter on the
console handler rewrites any ``secret=``, ``api_key=``, ``client_secret=`` or ``password=``
value before the line is written, whoever logged it. Direct Print authenticates with headers
(``USERPW``, ``USER-API-KEY``): a header line or a dict of headers that reaches a log is
cleaned the same way.
"""

from __future__ import annotations

import logging
import re

_SECRET_IN_QUERY = re.compile(
    r"((?:secret|api_key|client_secret|vendor_api_key|password)=)[^&\s\"']+", re.IGNORECASE
)
_SECRET_HEADER = re.compile(
    r"((?:userpw|user-api-key)['\"]?\s*[:=]\s*['\"]?)[^'\",\s}]+", re.IGNORECASE
)
_USERINFO = re.compile(r"(://[^:/\s@]+:)[^@\s/]+@")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    text = _SECRET_HEADER.sub(rf"\1{REDACTED}", _SECRET_IN_QUERY.sub(rf"\1{REDACTED}", text))
    return _USERINFO.sub(rf"\1{REDACTED}@", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
