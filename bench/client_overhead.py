"""Per-call overhead of the Maventa client against a raw requests.Session call.

Both call GET /oauth2/current (the schema's "who am I") on the same sandbox server with a
bearer token, in alternating blocks so that drift in the server affects both alike. Prints
figures; asserts nothing.
Run: make bench (or .venv/bin/python bench/client_overhead.py).
"""

from __future__ import annotations

import statistics
import time

import requests
from _harness import portal_server

CALLS = 1000
BLOCK = 100


def main() -> None:
    with portal_server() as base:
        from maventa_portal import maventa
        from maventa_portal.maventa_api.ax import companies
        from maventa_portal.sandbox.control_client import SandboxControl

        control = SandboxControl(base)
        control.reset()
        account = control.create_company(name="Bench Oy", bid="1234567-1", country="FI")
        api = maventa.get_client().company(
            maventa.company_credentials(
                company_id=account["company_id"], api_key=account["api_key"]
            )
        )

        raw = requests.Session()
        # As the client's own session: no proxy or netrc look-up per call, which would
        # otherwise make the raw side slower and flatter the ratio.
        raw.trust_env = False
        token = raw.post(
            f"{base}/ax/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": account["company_id"],
                "client_secret": account["api_key"],
                "vendor_api_key": account["vendor_api_key"],
            },
            timeout=10,
        ).json()["access_token"]
        raw_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

        def raw_call() -> None:
            response = raw.get(f"{base}/ax/oauth2/current", headers=raw_headers, timeout=(5, 30))
            response.raise_for_status()
            response.json()

        def client_call() -> None:
            companies.current(api)

        control.reset()
        for _ in range(50):  # warm both connection pools and the server
            raw_call()
            client_call()

        raw_times: list[float] = []
        client_times: list[float] = []
        for _ in range(CALLS // BLOCK):
            for call, times in ((raw_call, raw_times), (client_call, client_times)):
                for _ in range(BLOCK):
                    started = time.perf_counter()
                    call()
                    times.append(time.perf_counter() - started)

        tokens = control.stats()["tokens_issued"]
        raw_median = statistics.median(raw_times) * 1000
        client_median = statistics.median(client_times) * 1000
        print(f"client_overhead: {CALLS} calls each, GET /oauth2/current on the sandbox")
        print(f"  raw requests.Session  median {raw_median:.3f} ms/call")
        print(f"  Maventa client        median {client_median:.3f} ms/call")
        print(f"  ratio (client / raw)  {client_median / raw_median:.3f}x  (target <= 1.2x)")
        mean_ratio = statistics.fmean(client_times) / statistics.fmean(raw_times)
        print(f"  mean ratio            {mean_ratio:.3f}x")
        print(f"  token requests for {CALLS + 50} client calls: {tokens}  (target 1)")


if __name__ == "__main__":
    main()
