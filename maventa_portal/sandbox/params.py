"""Query parameters of the exchange endpoints, read as Maventa's Grape server reads them.

Arrays come as ``name[]`` (the schema's wire name) or as the plain name repeated; both are
read. Date-times are ISO 8601 (FIELDS.md section 0), a missing offset read as UTC. A value out
of its enum answers 400 naming the allowed ones.
"""

from datetime import UTC, datetime

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from .responses import BadRequest


def listed(request: HttpRequest, name: str) -> list[str]:
    return [v for v in request.GET.getlist(f"{name}[]") + request.GET.getlist(name) if v != ""]


def one_of(value: str, allowed: tuple[str, ...], name: str, problems: list[str]) -> None:
    if value not in allowed:
        problems.append(f"{name} {value!r} is not one of {', '.join(allowed)}")


def moment(request: HttpRequest, name: str, problems: list[str]) -> datetime | None:
    return parse_moment(request.GET.get(name, ""), name, problems)


def parse_moment(raw: str, name: str, problems: list[str]) -> datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None:
        problems.append(f"{name} must be an ISO 8601 date-time, e.g. 2024-01-31T12:00:00Z")
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def raise_if(problems: list[str]) -> None:
    if problems:
        raise BadRequest("Invalid parameters", problems)
