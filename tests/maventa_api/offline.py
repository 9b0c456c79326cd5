"""Addresses and answers for the offline client tests (scripted with `responses`)."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qsl, urlsplit

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


AX = f"{OFFLINE_BASE}/ax"
VALIDATOR = f"{OFFLINE_BASE}/validator"


def query_of(call) -> list[tuple[str, str]]:
    """The query string a recorded call was sent with, as (key, value) pairs in order."""
    return parse_qsl(urlsplit(call.request.url).query, keep_blank_values=True)


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content: bytes
    content_type: str


def form_parts(call) -> list[Part]:
    """The parts of a recorded multipart/form-data request, in the order sent."""
    request = call.request
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + request.body)
    return [
        Part(
            name=part.get_param("name", header="content-disposition"),
            filename=part.get_filename(),
            content=part.get_payload(decode=True),
            content_type=part.get_content_type(),
        )
        for part in message.iter_parts()
    ]


def plain_fields(call) -> list[tuple[str, str]]:
    """The multipart parts that are not files, as (name, text) pairs."""
    return [(p.name, p.content.decode()) for p in form_parts(call) if p.filename is None]
