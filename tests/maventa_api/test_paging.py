"""Walking paged lists: three pages told apart by each of Maventa's header styles, the guard
that stops a walk that never ends, and answers that would loop."""

from __future__ import annotations

import logging

import pytest
from requests.structures import CaseInsensitiveDict

from maventa_portal.maventa_api import paging
from maventa_portal.maventa_api.ax import invoices
from maventa_portal.maventa_api.paging import Page, page_of, pages
from tests.maventa_api.offline import AX, TOKEN_URL, calls_to, query_of, token_answer

INVOICES_URL = f"{AX}/v1/invoices"


def x_next_page(page: int, last: int) -> dict[str, str]:
    return {"X-Page": str(page), "X-Next-Page": str(page + 1) if page < last else ""}


def x_total_pages(page: int, last: int) -> dict[str, str]:
    return {"X-Page": str(page), "X-Total-Pages": str(last), "X-Total": str(last * 2 - 1)}


def link(page: int, last: int) -> dict[str, str]:
    url = f"{INVOICES_URL}?direction=SENT&per_page=2&page="
    links = [f'<{url}1>; rel="first"', f'<{url}{last}>; rel="last"']
    if page < last:
        links.insert(0, f'<{url}{page + 1}>; rel="next"')
    if page > 1:
        links.append(f'<{url}{page - 1}>; rel="prev"')
    return {"Link": ", ".join(links)}


def invoice(number: int) -> dict:
    return {
        "id": f"inv-{number}",
        "source_format": "FINVOICE30",
        "sum": 1,
        "sum_tax": 1.24,
        "currency": "EUR",
    }


@pytest.mark.parametrize("headers", [x_next_page, x_total_pages, link])
def test_three_pages_are_walked_by_each_header_style(http_mock, offline_api, headers):
    http_mock.post(TOKEN_URL, json=token_answer())
    for page, numbers in ((1, [1, 2]), (2, [3, 4]), (3, [5])):
        http_mock.get(INVOICES_URL, json=[invoice(n) for n in numbers], headers=headers(page, 3))

    walked = list(
        paging.items(
            lambda page: invoices.list_invoices(
                offline_api, direction="SENT", page=page, per_page=2
            )
        )
    )

    assert [item.id for item in walked] == [f"inv-{n}" for n in range(1, 6)]
    sent = [dict(query_of(call)) for call in calls_to(http_mock, "GET", INVOICES_URL)]
    assert [q["page"] for q in sent] == ["1", "2", "3"]
    assert {q["per_page"] for q in sent} == {"2"}


def test_the_page_says_what_the_headers_say():
    headers = CaseInsensitiveDict(
        {
            "x-page": "2",
            "x-per-page": "10",
            "x-total": "25",
            "x-total-pages": "3",
            "x-next-page": "3",
        }
    )

    page = page_of(["a"], headers, page=2, per_page=100)

    assert page == Page(("a",), page=2, per_page=10, total=25, total_pages=3, next_page=3)
    assert not page.is_last


def test_without_paging_headers_only_a_full_page_has_a_next():
    assert page_of(["a", "b"], {}, page=1, per_page=2).next_page == 2
    assert page_of(["a"], {}, page=1, per_page=2).next_page is None


@pytest.mark.parametrize(
    "headers",
    [{"X-Next-Page": "1"}, {"Link": '<https://x.invalid/v1/invoices?page=2>; rel="next"'}],
    ids=["x-next-page", "link"],
)
def test_a_next_page_pointing_back_is_the_last(headers):
    assert page_of(["a"], headers, page=2, per_page=1).next_page is None


def test_a_link_header_without_next_is_the_last():
    headers = {"Link": '<https://x.invalid/v1/invoices?page=1>; rel="first prev"'}

    assert page_of(["a"], headers, page=2, per_page=1).next_page is None


def test_the_walk_stops_at_max_pages_and_says_so(caplog):
    asked = []

    def endless(number: int) -> Page[int]:
        asked.append(number)
        return Page((number,), page=number, per_page=1, next_page=number + 1)

    with caplog.at_level(logging.WARNING, logger="maventa_api.paging"):
        walked = list(paging.items(endless, max_pages=5))

    assert walked == [1, 2, 3, 4, 5]
    assert asked == [1, 2, 3, 4, 5]
    assert "Stopped after 5 pages; page 6 on is left for the next walk" in caplog.text


def test_an_empty_page_ends_the_walk_whatever_the_headers_say():
    fetched = list(pages(lambda n: Page((), page=n, per_page=10, next_page=n + 1)))

    assert len(fetched) == 1


@pytest.mark.parametrize("per_page", [0, 101])
def test_per_page_beyond_maventas_limits_is_refused_before_sending(offline_api, per_page):
    with pytest.raises(ValueError, match="per_page must be 1 to 100"):
        invoices.list_invoices(offline_api, per_page=per_page)
