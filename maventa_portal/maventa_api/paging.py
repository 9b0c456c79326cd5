"""Paged lists: one page as a `Page`, and `pages()`, the one way to walk through them.

Maventa's lists answer a bare JSON array and put the paging in headers (FIELDS.md section 5,
stated on GET /v1/documents): X-Total, X-Total-Pages, X-Page, X-Per-Page, X-Next-Page,
X-Prev-Page, and an RFC 8288 Link header. The next page is read from whichever is present,
in this order: X-Next-Page (empty on the last page), X-Total-Pages, Link's rel="next"; with
none of them, a full page is taken to have a next one. A next page must lie ahead of the
current one, so an answer that points back cannot loop.

`pages()` stops after `max_pages` (a guard against a server that never says "last"), logging
a warning: callers walking by a watermark (received_at ascending) carry on from where it
stopped on their next run.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("maventa_api.paging")

T = TypeVar("T")

# Maventa's ceiling for per_page (FIELDS.md sections 5, 6 and 7).
MAX_PER_PAGE = 100
# 100 pages of 100: more than any one walk should need; the rest waits for the next one.
MAX_PAGES = 100

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL_NEXT = re.compile(r'rel\s*=\s*"?(?:[^";,]*\s)?next(?=[\s";,]|$)', re.IGNORECASE)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int
    per_page: int
    total: int | None = None
    total_pages: int | None = None
    next_page: int | None = None

    @property
    def is_last(self) -> bool:
        return self.next_page is None


def check_per_page(per_page: int) -> int:
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be 1 to {MAX_PER_PAGE}, not {per_page}.")
    return per_page


def page_of(items: list[T], headers: Mapping[str, str], *, page: int, per_page: int) -> Page[T]:
    """The page an answer's items and paging headers describe; `page` and `per_page` as asked,
    unless the headers say otherwise."""
    page = _number(headers.get("X-Page")) or page
    per_page = _number(headers.get("X-Per-Page")) or per_page
    total_pages = _number(headers.get("X-Total-Pages"))
    following = _next_page(items, headers, page=page, per_page=per_page, total_pages=total_pages)
    return Page(
        items=tuple(items),
        page=page,
        per_page=per_page,
        total=_number(headers.get("X-Total")),
        total_pages=total_pages,
        next_page=following if following is not None and following > page else None,
    )


def pages(
    fetch: Callable[[int], Page[T]], *, first: int = 1, max_pages: int = MAX_PAGES
) -> Iterator[Page[T]]:
    """Each page from `first` on, `fetch(page_number)` reading one: for instance
    `pages(lambda page: list_invoices(api, direction="SENT", page=page))`."""
    number = first
    for _ in range(max_pages):
        page = fetch(number)
        yield page
        if page.next_page is None or not page.items:
            return
        number = page.next_page
    log.warning("Stopped after %d pages; page %d on is left for the next walk", max_pages, number)


def items(fetch: Callable[[int], Page[T]], **options: int) -> Iterator[T]:
    """The items of `pages(fetch, ...)`, one by one."""
    for page in pages(fetch, **options):
        yield from page.items


def _next_page(
    items: list, headers: Mapping[str, str], *, page: int, per_page: int, total_pages: int | None
) -> int | None:
    if "X-Next-Page" in headers:
        return _number(headers["X-Next-Page"])
    if total_pages is not None:
        return page + 1 if page < total_pages else None
    if "Link" in headers:
        return _link_next(headers["Link"])
    return page + 1 if items and len(items) >= per_page else None


def _link_next(value: str) -> int | None:
    for url, params in _LINK.findall(value):
        if _REL_NEXT.search(params):
            found = parse_qs(urlsplit(url).query).get("page")
            return _number(found[0]) if found else None
    return None


def _number(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None
