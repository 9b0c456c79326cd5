"""A handle on the sandbox's control API (``/sandbox/_control/``) for tests, benchmarks, demo.

Speaks plain HTTP with ``requests`` and imports nothing of the portal or of the sandbox's
server side: a client bug cannot hide behind the tool that checks it, and importing this
module loads no Django. It lives beside ``control.py`` so that the API and its one client
change together; the portal itself never imports it (the demo seeding excepted, which steers
the sandbox as a test would: see the import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests


class ControlError(RuntimeError):
    """The control API refused a call: a bug in the caller, not a fault it asked for."""


class SandboxControl:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        # The sandbox answers on loopback: no proxy or netrc look-up on every call.
        self.session.trust_env = False

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

    def _call(
        self, method: str, name: str, json: Any = None, params: Any = None
    ) -> requests.Response:
        response = self.session.request(
            method, f"{self.control_url}/{name}", json=json, params=params, timeout=self.timeout
        )
        if response.status_code >= 400:
            raise ControlError(
                f"sandbox control {method} {name} answered {response.status_code}: {response.text}"
            )
        return response

    def reset(self) -> None:
        """Clears faults, the script, the counters and the lifecycle timings (accounts stay)."""
        self._call("POST", "reset")

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "faults").json()

    def set_faults(self, **config: Any) -> dict[str, Any]:
        """Replaces the fault configuration; keys left out go back to their defaults."""
        return self._call("PUT", "faults", json=config).json()

    def script(self, *rules: dict[str, Any], **config: Any) -> dict[str, Any]:
        """Scripted faults, e.g. ``script({"path": "/v1/users", "status": 503, "times": 2})``."""
        return self.set_faults(script=list(rules), **config)

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats").json()

    def requests_to(self, key: str) -> int:
        """How often ``key`` (``"GET /ax/oauth2/current"``) reached the sandbox since the reset."""
        return self.stats()["requests"].get(key, 0)

    def expire_tokens(self) -> None:
        self._call("POST", "expire_tokens")

    def create_company(
        self,
        *,
        name: str,
        bid: str,
        country: str = "FI",
        company_state: str | None = "VERIFIED",
        email: str | None = None,
        vendor_api_key: str | None = None,
    ) -> dict[str, str]:
        """A user and a company linked to the partner's vendor key.

        ``company_state`` is kept as given; ``None`` starts the company UNVERIFIED with the
        automatic KYC of the lifecycle (``kyc_seconds``), as a real registration does.
        ``vendor_api_key`` links it to that vendor key (made when new) instead of the partner's.
        Returns ``{"company_id", "api_key", "vendor_api_key"}``.
        """
        body: dict[str, Any] = {"kind": "company", "name": name, "bid": bid, "country": country}
        if company_state is not None:
            body["company_state"] = company_state
        if email:
            body["email"] = email
        if vendor_api_key:
            body["vendor_api_key"] = vendor_api_key
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

    def lifecycle(self) -> dict[str, Any]:
        return self._call("GET", "lifecycle").json()

    def set_lifecycle(self, **config: Any) -> dict[str, Any]:
        """``profile_activation_seconds``, ``kyc_seconds`` (None: never) and
        ``bank_activation_seconds``; keys left out go back to their defaults (2, 5, 10).
        Applies to companies and registrations created afterwards."""
        return self._call("PUT", "lifecycle", json=config).json()

    def tick(self) -> dict[str, int]:
        """Makes every due change now: ``{companies_verified, bank_requested,
        profiles_activated, invoices_delivered, invoices_failed, documents_delivered,
        documents_failed, invoices_received}``."""
        return self._call("POST", "tick").json()

    def company(self, company_id: str) -> dict[str, Any]:
        return self._call("GET", f"companies/{company_id}").json()

    def set_company(self, company_id: str, **changes: Any) -> dict[str, Any]:
        """``company_state`` (final: no automatic KYC afterwards) and/or ``agreement_networks``."""
        return self._call("POST", f"companies/{company_id}", json=changes).json()

    def profiles_of(self, company_id: str) -> list[dict[str, Any]]:
        return self._call("GET", f"companies/{company_id}/profiles").json()

    def set_profile(self, profile_id: str, **changes: Any) -> dict[str, Any]:
        """``status`` (pending, active or error; final until set again) and ``message``."""
        return self._call("POST", f"profiles/{profile_id}", json=changes).json()

    def events(self, company_id: str | None = None, name: str | None = None) -> list[dict]:
        """Recorded webhook events, oldest first."""
        params = {k: v for k, v in (("company_id", company_id), ("name", name)) if v}
        return self._call("GET", "events", params=params).json()

    def exchange(self) -> dict[str, Any]:
        return self._call("GET", "exchange").json()

    def set_exchange(self, **config: Any) -> dict[str, Any]:
        """``invoice_delivery_seconds`` (2), ``invoice_failure_rate`` (0), ``late_failure_rate``
        (0), ``late_failure_seconds`` (10), ``document_delivery_seconds`` (2),
        ``document_failure_rate`` (0), ``analysis_seconds`` (1), ``incoming_per_hour`` (0) and
        ``seed``; keys left out go back to their defaults. Applies to later sends."""
        return self._call("PUT", "exchange", json=config).json()

    def incoming(
        self,
        company_id: str,
        *,
        count: int = 1,
        format: str | None = None,  # the control API's field name
        document_type: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
    ) -> list[dict[str, Any]]:
        """Received invoices (``format``: FINVOICE30, PEPPOLBIS30, EHF, TEAPPS30, MIXED) or, with
        ``document_type="ORDER"``, received orders, for ``company_id``; as AX answers them."""
        body: dict[str, Any] = {"company_id": company_id, "count": count}
        for name, value in (("format", format), ("document_type", document_type)):
            if value:
                body[name] = value
        for name, value in (("since", since), ("until", until)):
            if value is not None:
                body[name] = value.isoformat() if isinstance(value, datetime) else value
        answer = self._call("POST", "incoming", json=body).json()
        return answer.get("invoices", answer.get("documents", []))

    def invoices_of(self, company_id: str, direction: str | None = None) -> list[dict]:
        params = {"company_id": company_id, **({"direction": direction} if direction else {})}
        return self._call("GET", "invoices", params=params).json()

    def set_invoice(self, invoice_id: str, *, status: str, message: str | None = None) -> dict:
        """A sent invoice delivered (``DELIVERED``) or failed (``FAILED``, with ``message``) now."""
        body = {"status": status, **({"message": message} if message else {})}
        return self._call("POST", f"invoices/{invoice_id}", json=body).json()

    def set_document(self, document_id: str, *, status: str, message: str | None = None) -> dict:
        body = {"status": status, **({"message": message} if message else {})}
        return self._call("POST", f"documents/{document_id}", json=body).json()

    def webhooks(self) -> dict[str, Any]:
        return self._call("GET", "webhooks").json()

    def set_webhooks(self, **config: Any) -> dict[str, Any]:
        """``hour_seconds`` (the retry "hour"; None: the setting, 3600), ``timeout_seconds`` (5),
        ``drop_rate``, ``duplicate_rate``, ``delay_seconds``, ``reorder``, ``seed``, ``senders``
        (posts at once, 1) and ``advance_seconds`` (how often time moves on by itself while
        anyone subscribes, 1; 0: only on reads and ticks); keys left out go back to their
        defaults."""
        return self._call("PUT", "webhooks", json=config).json()

    def deliveries(
        self,
        *,
        company_id: str | None = None,
        event: str | None = None,
        state: str | None = None,
        subscription_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Webhook deliveries, oldest first, with their payloads and tries."""
        wanted = {
            "company_id": company_id,
            "event": event,
            "state": state,
            "subscription_id": subscription_id,
        }
        params = {k: v for k, v in wanted.items() if v}
        return self._call("GET", "webhooks/deliveries", params=params).json()

    def flush_webhooks(self, *, everything: bool = False) -> dict[str, int]:
        """Tries the due deliveries now (``everything``: every pending one, retry hours and
        delays skipped): ``{attempted, delivered, failed}``."""
        return self._call("POST", "webhooks/flush", json={"all": everything}).json()

    def receivables(self) -> dict[str, Any]:
        return self._call("GET", "receivables").json()

    def set_receivables(self, **config: Any) -> dict[str, Any]:
        """``answer_delay_seconds`` (Amili answers a staff message this much later, 3) and
        ``answers`` (True); keys left out go back to their defaults."""
        return self._call("PUT", "receivables", json=config).json()

    def create_assignment(self, company_id: str, **fields: Any) -> dict[str, Any]:
        """An assignment of the company: ``debtor_name``, ``debtor_bid``, ``amount``,
        ``due_date``, ``invoice_id``, ``invoice_number``, ``status`` (open, partially_closed,
        closed)."""
        body = {"company_id": company_id, **fields}
        return self._call("POST", "receivables/assignments", json=body).json()

    def open_assignments(self, company_id: str, *, everything: bool = False) -> int:
        """Assignments for the company's sent invoices without one: the number opened."""
        body = {"company_id": company_id, "all": everything}
        return self._call("POST", "receivables/open", json=body).json()["opened"]

    def amili_message(
        self, body: str, *, thread_id: str | None = None, assignment_id: str | None = None
    ) -> dict[str, Any]:
        """A message from Amili into a thread (or the assignment's, created when none)."""
        wanted = {"body": body, "thread_id": thread_id, "assignment_id": assignment_id}
        return self._call("POST", "receivables/messages", json=wanted).json()

    def amili_event(self, assignment_id: str, type: str, **fields: Any) -> dict[str, Any]:
        """An event from Amili on an assignment (``paid`` with ``amount``, ``close``, ...)."""
        body = {"assignment_id": assignment_id, "type": type, **fields}
        return self._call("POST", "receivables/events", json=body).json()

    def amili_decide(self, company_id: str, decision: str) -> dict[str, Any]:
        """The newer Amili onboarding's KYC decided (``approve`` or ``reject``), as its page
        does: the v2 state, the outcome announced to the company's subscribers."""
        body = {"company_id": company_id, "decision": decision}
        return self._call("POST", "amili/decide", json=body).json()

    def receivables_demo(self, company_id: str) -> dict[str, Any]:
        """Receivables activated with an assignment in each status and a conversation with
        unread messages from Amili: ``{assignments, thread_id}``."""
        return self._call("POST", "receivables/demo", json={"company_id": company_id}).json()

    def payslip_settings(self, **config: Any) -> dict[str, Any]:
        """Direct Print: ``status_step_seconds`` (a package's statuses this far apart, 2; 0:
        SENT at once) and ``fail_next`` (how many of the next packages end in ERROR, 0); keys
        left out go back to their defaults."""
        return self._call("PUT", "payslip", json=config).json()

    def payslip_account(
        self, company_id: str, *, username: str = "", password: str = ""
    ) -> dict[str, str]:
        """The company's Direct Print account, as ``/register`` makes it (user name and
        password given, or made here): ``{company_id, username, password}``."""
        body = {"company_id": company_id, "username": username, "password": password}
        return self._call("POST", "payslip/accounts", json=body).json()

    def payslip_packages(self, company_id: str) -> list[dict[str, Any]]:
        """The company's packages with their status now, newest first."""
        return self._call("GET", "payslip/packages", params={"company_id": company_id}).json()

    def activate_op_credit(self, company_id: str) -> dict[str, Any]:
        """OP Laskulaina ACTIVE at once for the company, the offer's terms accepted."""
        return self._call("POST", "op_credit/activate", json={"company_id": company_id}).json()

    def sign_op_credit(self, activation_url: str) -> None:
        """What the "Sign" button of the service's activation_url does."""
        response = self.session.post(activation_url, timeout=self.timeout)
        if response.status_code >= 400:
            raise ControlError(f"signing answered {response.status_code}: {response.text}")

    def repay_op_credit(self, company_id: str, amount: float) -> dict[str, Any]:
        """A customer's payment into OP's account, repaying the company's credit."""
        body = {"company_id": company_id, "amount": amount}
        return self._call("POST", "op_credit/repayments", json=body).json()
