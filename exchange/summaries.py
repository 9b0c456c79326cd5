"""An ``InvoiceSummary`` as plain JSON, stored on the invoice and rendered for people.

Amounts are kept as text (Decimal's own, never a float), dates as ISO dates; the template
``exchange/includes/invoice_paper.html`` lays the result out like a printed invoice.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from exchange.formats import InvoiceSummary


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def summary_to_json(summary: InvoiceSummary) -> dict[str, Any]:
    data = _plain(summary)
    for party in ("seller", "buyer"):
        address = getattr(summary, party).electronic_address
        data[party]["eia"] = str(address) if address else ""
    return data
