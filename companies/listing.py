"""The companies list page, the fleet view: its filter form, columns, page size and the text
of each row, and whether a row needs attention.

Columns and filters of other apps come from ``companies.fleet``. What the query string holds
beyond the known choices is ignored (that filter is left off) rather than refused, so that an
edited or outdated address still shows a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils import formats, timezone

from . import selectors
from .fleet import FleetColumn, FleetHooks, gather
from .models import Company, Country, Network, NetworkProfile

PAGE_SIZE = 50
MAX_QUERY = 200

# (sort key, heading); columns without a key are not sortable. The columns of other apps
# (companies.fleet) follow "Networks".
COLUMNS = [
    ("name", "Company"),
    ("bid", "Business id"),
    ("country", "Country"),
    ("state", "KYC"),
    (None, "Networks"),
]
TRAILING_COLUMNS = [
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
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, hooks: FleetHooks | None = None) -> None:
        super().__init__(data)
        hooks = hooks or FleetHooks({}, [], [])
        keys = [*selectors.SORTS, *(c.key for c in hooks.columns if c.sortable)]
        self.fields["sort"].choices = [(f"{sign}{key}", key) for key in keys for sign in ("", "-")]
        for fleet_filter in hooks.filters:
            self.fields[fleet_filter.name] = forms.ChoiceField(
                required=False,
                label=fleet_filter.label,
                choices=_choices(
                    "Any", [(value, label) for value, (label, _) in fleet_filter.choices.items()]
                ),
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
class Cell:
    text: str
    href: str
    attention: bool
    kind: str


@dataclass(frozen=True)
class Row:
    company: Company
    networks: str
    cells: list[Cell]
    attention: list[str]  # why the row needs attention; empty when it does not


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


def company_list(params: QueryDict, *, perms=None) -> CompanyList:
    """``perms``: the viewer's (``user.has_perm``); a figure links only where they may go."""
    now = timezone.now()
    hooks = gather(now)
    form = CompanyListForm(params, hooks=hooks)
    values = form.values()
    sort = values["sort"] or selectors.DEFAULT_SORT
    filters = {name: values[name] for name in ("country", "state", "network", "profile")}
    filters["query"] = values["q"]
    chosen = [(f, values[f.name]) for f in hooks.filters if values.get(f.name)]
    companies = selectors.companies_for_list(
        **filters,
        sort=sort,
        now=now,
        annotations=hooks.annotations,
        conditions=[f.choices[value][1] for f, value in chosen],
        sortable=[c.key for c in hooks.columns if c.sortable],
    )
    # get_page: a page number past the end or not a number shows the last or the first page.
    page = Paginator(companies, PAGE_SIZE).get_page(params.get("page"))
    filtering = any(filters.values()) or bool(chosen)
    allowed = perms or (lambda permission: True)
    return CompanyList(
        form=form,
        page=page,
        rows=[_row(company, hooks.columns, allowed) for company in page],
        columns=columns(sort, hooks.columns),
        # Without a filter the paginator's count is the total: one query fewer.
        total=selectors.company_count() if filtering else page.paginator.count,
        filtering=filtering,
    )


def _row(company: Company, fleet_columns: list[FleetColumn], allowed) -> Row:
    cells = [_cell(company, column, allowed) for column in fleet_columns]
    reasons = []
    if company.company_state != Company.State.VERIFIED:
        reasons.append("not verified")
    if company.profile_failed:
        reasons.append("profile failed")
    if company.profile_pending_long:
        reasons.append("profile pending long")
    reasons += [c.attention for c, cell in zip(fleet_columns, cells, strict=True) if cell.attention]
    return Row(company, network_statuses(company.shown_profiles), cells, reasons)


def _cell(company: Company, column: FleetColumn, allowed) -> Cell:
    value = getattr(company, column.key, None)
    if column.kind == "count":
        text = formats.number_format(value or 0, force_grouping=True)
    elif value in (None, ""):
        text = column.empty
    elif column.kind == "datetime":
        text = formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    else:
        text = column.labels.get(value, str(value))
    linked = column.href is not None and (not column.permission or allowed(column.permission))
    return Cell(
        text=text,
        href=column.href(company.pk) if linked else "",
        attention=bool(column.attention and value),
        kind=column.kind,
    )


def columns(sort: str, fleet_columns: list[FleetColumn] = ()) -> list[Column]:
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    fleet = [(c.key if c.sortable else None, c.label) for c in fleet_columns]
    result = []
    for key, label in [*COLUMNS, *fleet, *TRAILING_COLUMNS]:
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


STATUS_RANK = {
    NetworkProfile.Status.ACTIVE: 0,
    NetworkProfile.Status.PENDING: 1,
    NetworkProfile.Status.FAILED: 2,
}


def network_statuses(profiles: list[NetworkProfile]) -> str:
    """“VISMA, PEPPOL (pending), BANK (failed)”: each network once, at its best status."""
    best: dict[str, str] = {}
    for profile in profiles:
        rank = STATUS_RANK.get(profile.status, len(STATUS_RANK))
        if profile.network not in best or rank < STATUS_RANK.get(best[profile.network], 9):
            best[profile.network] = profile.status
    return ", ".join(
        network if best[network] == NetworkProfile.Status.ACTIVE else f"{network} ({best[network]})"
        for network in sorted(best, key=lambda n: NETWORK_ORDER.get(n, len(NETWORK_ORDER)))
    )
