"""The contract one side is held to: the schema, its generic errors and that side's departures.

``contract("responses")`` judges the sandbox's answers, ``contract("requests")`` the client's
requests; ``strict=False`` reads Maventa's real answers (see ``schemas.py``). Built once per
process: the observer consults it for every sandbox answer.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.contract import spec as ax
from tests.contract.exceptions import departures
from tests.contract.schemas import SchemaSet
from tests.contract.violations import Violation


class Contract:
    def __init__(self, spec: dict[str, Any], *, side: str, strict: bool) -> None:
        self.spec = spec
        self.side = side
        self.operations = ax.Operations(spec)
        self.schemas = SchemaSet(spec, strict=strict)
        self._admitting = [d for d in departures(side) if d.admits is not None]

    def forgive(self, violations: list[Violation]) -> list[Violation]:
        """The violations no departure of this side admits."""
        return [v for v in violations if not any(d.admits(v) for d in self._admitting)]


def effective_spec(side: str) -> dict[str, Any]:
    spec = ax.load()
    for departure in departures(side):
        if departure.patch is not None:
            departure.patch(spec)
    return ax.with_generic_errors(spec)


@cache
def contract(side: str, strict: bool = True) -> Contract:
    return Contract(effective_spec(side), side=side, strict=strict)
