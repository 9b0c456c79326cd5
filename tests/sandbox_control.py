"""A handle on the sandbox's control API (``/sandbox/_control/``) for tests, benchmarks, demo.

Speaks plain HTTP with ``requests``; it never uses the portal's client, so that a client bug
cannot hide behind the tool that checks it.
"""

from __future__ import annotations

from typing import Any

import requests


class SandboxControl:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    @property
    def ax_url(self) -> str:
        return f"{self.base_url}/ax"

    @property
    def validator_url(self) -> str:
        return f"{self.base_url}/validator"

    @property
    def receivables_url(self) -> str:
        return f"{self.base_url}/receivables"

    @property
    def payslip_url(self) -> str:
        return f"{self.base_url}/payslip"

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_control"

    def _call(self, method: str, name: str, json: Any = None) -> requests.Response:
        response = self.session.request(
            method, f"{self.control_url}/{name}", json=json, timeout=self.timeout
        )
        if response.status_code >= 400:
            raise AssertionError(
                f"sandbox control {method} {name} answered {response.status_code}: {response.text}"
            )
        return response

    def reset(self) -> None:
        """Clears faults, the script and the counters (accounts stay)."""
        self._call("POST", "reset")

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "faults").json()

    def set_faults(self, **config: Any) -> dict[str, Any]:
        """Replaces the fault configuration; keys left out go back to their defaults."""
        return self._call("PUT", "faults", json=config).json()

    def script(self, *rules: dict[str, Any], **config: Any) -> dict[str, Any]:
        """Scripted faults, e.g. ``script({"path": "/v1/company", "status": 503, "times": 2})``."""
        return self.set_faults(script=list(rules), **config)

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats").json()

    def requests_to(self, key: str) -> int:
        """How often ``key`` (``"GET /ax/v1/company"``) reached the sandbox since the reset."""
        return self.stats()["requests"].get(key, 0)

    def expire_tokens(self) -> None:
        self._call("POST", "expire_tokens")

    def create_company(
        self,
        *,
        name: str,
        bid: str,
        country: str = "FI",
        company_state: str = "VERIFIED",
        email: str | None = None,
    ) -> dict[str, str]:
        """A user and a company linked to the partner's vendor key.

        Returns ``{"company_id", "api_key", "vendor_api_key"}``.
        """
        body: dict[str, Any] = {
            "kind": "company",
            "name": name,
            "bid": bid,
            "country": country,
            "company_state": company_state,
        }
        if email:
            body["email"] = email
        return self._call("POST", "accounts", json=body).json()

    def create_vendor(self, *, api_key: str, name: str = "") -> dict[str, Any]:
        return self._call(
            "POST", "accounts", json={"kind": "vendor", "api_key": api_key, "name": name}
        ).json()

    def create_operator(self, *, operator_id: str, secret: str) -> dict[str, Any]:
        return self._call(
            "POST",
            "accounts",
            json={"kind": "operator", "operator_id": operator_id, "secret": secret},
        ).json()
