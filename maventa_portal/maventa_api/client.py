"""The client's front door: one `Maventa` per process, and an `Api` per set of credentials.

`Api.request` adds the bearer token, re-sends once with a fresh token on a 401 (the token
may have expired or been revoked early), never on a 403, and turns every error answer into
its MaventaError kind; a second 401 names the token's scope or the keys as its cause.
Resource modules (ax, validator, receivables, payslip) call it.

Inside `deadline(seconds)` (see http), one request is one call: its token fetch, retries and
401 resend share the same `seconds`.

`HeaderApi` (Payslip) carries header credentials instead: no token, and no resend on a 401,
since the same headers would be refused again; a 401 or 403 names which credentials failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import requests

from .auth import (
    CompanyCredentials,
    Credentials,
    MemoryTokenStore,
    OperatorCredentials,
    TokenManager,
    TokenStore,
)
from .config import ClientConfig
from .errors import Forbidden, Unauthorized, error_from_response
from .http import HttpResponse, Transport, call_window

if TYPE_CHECKING:
    from .payslip import PrintCredentials

API_NAMES = ("ax", "validator", "receivables", "payslip")


class HeaderCredentials(Protocol):
    """Credentials sent as HTTP headers on every request (Payslip's two schemes)."""

    @property
    def label(self) -> str: ...  # which credentials, in words, for staff

    @property
    def client_id(self) -> str: ...  # the non-secret half

    def headers(self) -> dict[str, str]: ...


class Maventa:
    """Connection pool, retries and tokens for one configuration.

    Every process sharing `token_store` must pass the same `token_fingerprint_key` (see
    TokenManager), or none of them finds the others' tokens.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        token_store: TokenStore | None = None,
        token_fingerprint_key: bytes | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.transport = Transport(config, session=session, sleep=sleep)
        self.tokens = TokenManager(
            config,
            self.transport,
            token_store or MemoryTokenStore(),
            clock=clock,
            fingerprint_key=token_fingerprint_key,
        )

    def __repr__(self) -> str:
        return f"<Maventa {self.config.environment}>"

    def company(self, credentials: CompanyCredentials) -> Api:
        return Api(self, credentials)

    def operator(self, credentials: OperatorCredentials) -> Api:
        return Api(self, credentials)

    def payslip(self, credentials: PrintCredentials) -> Api:
        """Direct Print: the credentials travel as headers, no token is fetched."""
        return HeaderApi(self, credentials)

    def public(self) -> Api:
        """For the few calls that take no token (user and company creation, definitions)."""
        return Api(self, None)

    def url(self, api: str, path: str) -> str:
        if api not in API_NAMES:
            raise ValueError(f"Unknown Maventa API {api!r}.")
        return getattr(self.config.hosts, api) + path

    def close(self) -> None:
        self.transport.session.close()


class Api:
    def __init__(self, maventa: Maventa, credentials: Credentials | None) -> None:
        self.maventa = maventa
        self.credentials = credentials

    def __repr__(self) -> str:
        who = self.credentials.client_id if self.credentials else "public"
        return f"<Api {self.maventa.config.environment} {who}>"

    def request(
        self,
        method: str,
        path: str,
        *,
        api: str = "ax",
        params: Any = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        headers: dict[str, str] | None = None,
        resource: str = "",
        timeout: tuple[float, float] | None = None,
        idempotent: bool | None = None,
    ) -> HttpResponse:
        """`idempotent`: True for a POST that only reads (resent like a GET); None: by method."""
        with call_window():
            return self._request(
                method,
                self.maventa.url(api, path),
                params=params,
                json=json,
                data=data,
                files=files,
                headers=dict(headers or {}),
                resource=resource or path,
                timeout=timeout,
                idempotent=idempotent,
            )

    def _request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        resource: str,
        **sent: Any,
    ) -> HttpResponse:
        tokens = self.maventa.tokens
        sent_headers = headers
        for attempt in range(2):
            token = None
            if self.credentials is not None:
                token = tokens.token(self.credentials)
                sent_headers["Authorization"] = f"Bearer {token.access_token}"
            response = self.maventa.transport.send(method, url, headers=sent_headers, **sent)
            if response.status != 401 or token is None or attempt == 1:
                break
            # Expired or revoked early: drop it (only if no one replaced it yet) and try once more.
            tokens.invalidate(self.credentials, token)
        if not response.ok:
            raise error_from_response(
                method=method.upper(),
                url=url,
                status=response.status,
                body=response.body(),
                headers=dict(response.headers),
                resource=resource,
                # What a second 401 is blamed on: the token's scope or the keys (errors.py).
                token_scope=None if token is None else token.scope or self.credentials.scope,
                scope_asked=bool(self.credentials and self.credentials.scope),
            )
        return response

    def get(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("DELETE", path, **kwargs)


class HeaderApi(Api):
    """An Api whose requests carry header credentials (see the module's docstring)."""

    def __init__(self, maventa: Maventa, credentials: HeaderCredentials) -> None:
        self.maventa = maventa
        self.credentials = credentials  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Api {self.maventa.config.environment} {self.credentials.client_id} (headers)>"

    def _request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        resource: str,
        **sent: Any,
    ) -> HttpResponse:
        sent_headers = {**headers, **self.credentials.headers()}
        response = self.maventa.transport.send(method, url, headers=sent_headers, **sent)
        if response.ok:
            return response
        body = response.body()
        common = {"method": method.upper(), "url": url, "status": response.status}
        label = self.credentials.label
        if response.status == 401:
            # Maventa's text is not kept: a refusal may echo the headers it was given.
            raise Unauthorized(
                f"{label} refused",
                staff_message=f"Maventa did not accept the {label}. Check them.",
                **common,
            )
        if response.status == 403:
            raise Forbidden(
                f"{label} refused for {resource}",
                resource=resource,
                staff_message=f"The {label} gives no access to {resource}.",
                **common,
            )
        raise error_from_response(
            body=body, headers=dict(response.headers), resource=resource, **common
        )
