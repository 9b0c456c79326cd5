"""The companies list page: its filter form, columns, page size and the text of each row.

What the query string holds beyond the known choices is ignored (that filter is left off)
rather than refused, so that an edited or outdated address still shows a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.http import QueryDict

from . import selectors
from .models import Company, Country, Network, NetworkProfile

PAGE_SIZE = 50
MAX_QUERY = 200

# (sort key, heading); columns without a key are not sortable.
COLUMNS = [
    ("name", "Company"),
    ("bid", "Business id"),
    ("country", "Country"),
    ("state", "KYC"),
    (None, "Live networks"),
    (None, "Maventa id"),
    ("created", "Created"),
]


def _choices(empty: str, choices) -> list[tuple[str, str]]:
    return [("", empty), *choices]


class CompanyListForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(
            attrs={"placeholder": "Name, business id or Maventa id", "maxlength": MAX_QUERY}
        ),
    )
    country = forms.ChoiceField(required=False, choices=_choices("All countries", Country.choices))
    state = forms.ChoiceField(
        required=False, label="KYC", choices=_choices("Any KYC state", Company.State.choices)
    )
    network = forms.ChoiceField(required=False, choices=_choices("Any network", Network.choices))
    profile = forms.ChoiceField(
        required=False,
        label="Profiles",
        choices=_choices(
            "Any profiles", [(key, f.label) for key, f in selectors.PROFILE_FILTERS.items()]
        ),
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(f"{sign}{key}", key) for key in selectors.SORTS for sign in ("", "-")],
        widget=forms.HiddenInput,
    )

    def clean_q(self) -> str:
        # Cut rather than refused: a pasted paragraph still searches by its start.
        return self.cleaned_data["q"][:MAX_QUERY]

    def values(self) -> dict[str, str]:
        """The valid values by name; an invalid one counts as not given."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


@dataclass(frozen=True)
class Column:
    label: str
    sort: str | None  # the sort key a click on the heading asks for
    order: str  # "ascending", "descending" or "" for aria-sort


@dataclass(frozen=True)
class Row:
    company: Company
    networks: str


@dataclass(frozen=True)
class CompanyList:
    form: CompanyListForm
    page: Page
    rows: list[Row]
    columns: list[Column]
    total: int
    filtering: bool

    @property
    def shown(self) -> int:
        return self.page.paginator.count

    @property
    def page_range(self):
        return self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)


def company_list(params: QueryDict) -> CompanyList:
    form = CompanyListForm(params)
    values = form.values()
    sort = values["sort"] or selectors.DEFAULT_SORT
    filters = {name: values[name] for name in ("country", "state", "network", "profile")}
    filters["query"] = values["q"]
    companies = selectors.companies_for_list(**filters, sort=sort)
    # get_page: a page number past the end or not a number shows the last or the first page.
    page = Paginator(companies, PAGE_SIZE).get_page(params.get("page"))
    filtering = any(filters.values())
    return CompanyList(
        form=form,
        page=page,
        rows=[Row(company, live_networks(company.live_profiles)) for company in page],
        columns=columns(sort),
        # Without a filter the paginator's count is the total: one query fewer.
        total=selectors.company_count() if filtering else page.paginator.count,
        filtering=filtering,
    )


def columns(sort: str) -> list[Column]:
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    result = []
    for key, label in COLUMNS:
        if key is None:
            result.append(Column(label, None, ""))
        elif key == current:
            order = "descending" if descending else "ascending"
            result.append(Column(label, key if descending else f"-{key}", order))
        else:
            result.append(Column(label, key, ""))
    return result


NETWORK_ORDER = {value: index for index, value in enumerate(Network.values)}


def live_networks(profiles: list[NetworkProfile]) -> str:
    """“VISMA, PEPPOL (pending)”: each network once, pending only if none of it is active."""
    statuses: dict[str, set[str]] = {}
    for profile in profiles:
        statuses.setdefault(profile.network, set()).add(profile.status)
    return ", ".join(
        network if NetworkProfile.Status.ACTIVE in statuses[network] else f"{network} (pending)"
        for network in sorted(statuses, key=lambda n: NETWORK_ORDER.get(n, len(NETWORK_ORDER)))
    )
