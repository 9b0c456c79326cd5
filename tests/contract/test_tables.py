"""The departures tables stay honest, and nothing the sandbox serves escapes the contract."""

from __future__ import annotations

import json

import pytest

from tests.contract import spec as ax
from tests.contract.contract import contract
from tests.contract.exceptions import DRIFT_BEING_FIXED, EXCEPTIONS, REQUESTS, RESPONSES, Departure
from tests.contract.served import served_routes

ALL = (*EXCEPTIONS, *DRIFT_BEING_FIXED)


def test_departures_have_unique_names_and_reasons():
    names = [d.name for d in ALL]

    assert len(names) == len(set(names))
    assert all(len(d.reason) > 40 for d in ALL)
    assert all((d.patch is None) != (d.admits is None) for d in ALL)
    assert all(set(d.sides) <= {RESPONSES, REQUESTS} and d.sides for d in ALL)


def test_drift_entries_are_marked_as_drift():
    assert all(d.name.startswith("drift: ") for d in DRIFT_BEING_FIXED)
    assert not any(d.name.startswith("drift") for d in EXCEPTIONS)


@pytest.mark.parametrize("departure", [d for d in ALL if d.patch], ids=lambda d: d.name)
def test_each_edit_still_applies_and_changes_the_schema(departure: Departure):
    schema = ax.load()
    before = json.dumps(schema, sort_keys=True)

    departure.patch(schema)  # raises once the schema has caught up with the departure

    assert json.dumps(schema, sort_keys=True) != before


def test_every_ax_route_the_sandbox_serves_is_in_the_contract():
    judge = contract(RESPONSES)
    missing = [
        route.label
        for route in served_routes()
        if route.api == "ax"
        and route.method not in judge.operations.methods_at(_schema_path(judge, route.template))
    ]

    assert not missing, f"served but neither in ax-openapi.json nor in exceptions.py: {missing}"


def _schema_path(judge, template: str) -> str:
    wanted = ax.shape(template)
    return next((path for path in judge.spec["paths"] if ax.shape(path) == wanted), "")
