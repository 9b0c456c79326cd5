"""``make contract``: its totals read as the issue asks, and it says when no run is recorded."""

from __future__ import annotations

import re

from tests.contract import coverage
from tests.contract.client_calls import UNKNOWN, call_sites

TOTAL = re.compile(r"^[a-z][a-z -]+  \d+( / \d+)?  \(target (>=|<=|=) \d+\)(  MISSED)?$")


def test_totals_read_label_value_and_target():
    rows = [
        coverage.Row("ax", "GET /oauth2/current", served=True, called=True, answered="200"),
        coverage.Row("ax", "GET /v1/jwk", note="of no use (/v1/jwk*)"),
    ]

    lines = [str(total) for total in coverage.totals(rows)]

    assert all(TOTAL.match(line) for line in lines), lines
    assert "served operations response-validated  1 / 1  (target = 1)" in lines
    assert "called operations request-validated  0 / 1  (target = 1)  MISSED" in lines


def test_without_a_recorded_run_it_says_run_make_test_first(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(coverage, "SEEN_FILE", tmp_path / "seen.json")

    assert coverage.main() == 1
    assert "run make test first" in capsys.readouterr().out


def test_every_client_call_site_is_read_as_a_path():
    sites = call_sites()

    assert not [site for site in sites if site.template == UNKNOWN]
    assert ("POST", "/oauth2/token") in {(s.method, s.template) for s in sites}
    assert ("PUT", "/v1/company/profiles/{}/extensions") in {(s.method, s.template) for s in sites}
