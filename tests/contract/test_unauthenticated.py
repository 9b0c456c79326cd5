"""Every secured operation the sandbox serves refuses a request without a token with 401."""

from __future__ import annotations

import re
import uuid
from http import HTTPStatus

import pytest
import requests

from tests.contract.contract import contract
from tests.contract.exceptions import RESPONSES
from tests.contract.served import served_routes


def _secured_served() -> list[str]:
    judge = contract(RESPONSES)
    labels = []
    for route in served_routes():
        if route.api != "ax":
            continue
        match = judge.operations.find(route.method, _concrete(route.template))
        if match is not None and match.operation.get("security"):
            labels.append(match.label)
    return sorted(set(labels))


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.UUID(int=1)), template)


SECURED = _secured_served()


def test_secured_operations_are_found():
    assert len(SECURED) >= 10, SECURED


@pytest.mark.parametrize("label", SECURED)
def test_no_token_is_401(sandbox, label):
    method, template = label.split(" ", 1)

    response = requests.request(
        method, f"{sandbox.ax_url}{_concrete(template)}", json={}, timeout=10
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED, response.text
    assert response.json()["code"]
