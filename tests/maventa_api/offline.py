"""Addresses and answers for the offline client tests (scripted with `responses`)."""

from __future__ import annotations

import responses

# `.invalid` never resolves: an answer that was not scripted fails the test, never goes out.
OFFLINE_BASE = "http://maventa.invalid/sandbox"
TOKEN_URL = f"{OFFLINE_BASE}/ax/oauth2/token"
CURRENT_URL = f"{OFFLINE_BASE}/ax/oauth2/current"
USERS_URL = f"{OFFLINE_BASE}/ax/v1/users"


def token_answer(access_token: str = "token-1", expires_in: int = 3600) -> dict:  # noqa: S107
    return {"access_token": access_token, "expires_in": expires_in, "token_type": "Bearer"}


def calls_to(mock: responses.RequestsMock, method: str, url: str) -> list:
    return [
        call
        for call in mock.calls
        if call.request.method == method and call.request.url.split("?")[0] == url
    ]
