"""Paged lists as Maventa pages them: a bare JSON array, the paging in headers.

FIELDS.md section 5 (stated on GET /v1/documents): X-Total, X-Total-Pages, X-Page, X-Per-Page,
X-Next-Page and X-Prev-Page (empty when there is none, as Grape's pagination writes them), and
a Link header (RFC 8288) with first, prev, next and last. ``page`` starts at 1; ``per_page``
defaults per endpoint and is at most 100; values out of range answer 400.
"""

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .responses import BadRequest

MAX_PER_PAGE = 100


def _whole(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest("Invalid parameters", [f"{name} must be a whole number"]) from None


def page_params(request: HttpRequest, default_per_page: int) -> tuple[int, int]:
    page = _whole(request, "page", 1)
    per_page = _whole(request, "per_page", default_per_page)
    problems = []
    if page < 1:
        problems.append("page must be at least 1")
    if not 1 <= per_page <= MAX_PER_PAGE:
        problems.append(f"per_page must be 1 to {MAX_PER_PAGE}")
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return page, per_page


def paginate(
    request: HttpRequest, items: Sequence[Any], page: int, per_page: int
) -> tuple[Sequence[Any], dict[str, str]]:
    """The items of ``page`` and the headers describing it."""
    total = items.count() if isinstance(items, QuerySet) else len(items)
    pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    shown = list(items[start : start + per_page])
    next_page = page + 1 if page < pages else None
    prev_page = page - 1 if 1 < page <= pages + 1 else None
    headers = {
        "X-Total": str(total),
        "X-Total-Pages": str(pages),
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Next-Page": str(next_page or ""),
        "X-Prev-Page": str(prev_page or ""),
    }
    links = [("first", 1), ("prev", prev_page), ("next", next_page), ("last", pages)]
    headers["Link"] = ", ".join(
        f'<{_url(request, number)}>; rel="{rel}"' for rel, number in links if number
    )
    return shown, headers


def _url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def with_headers(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    return response
