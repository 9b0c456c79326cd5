"""Maventa's stage, read-only: what the live contract tests need, and the guard that keeps them
read-only.

``ReadOnlySession`` refuses, before anything is sent, every request but GET and the token POST,
so that no test can send or change anything at Maventa whatever it calls. Every exchange is
checked as the sandbox's are: the client's request strictly, Maventa's answer leniently (the
2023 schema predates fields Maventa added since, see ``schemas.py``).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlsplit

import requests

from tests.contract.contract import contract
from tests.contract.exceptions import REQUESTS, RESPONSES
from tests.contract.validators import Answer, Request, check_answer, check_request
from tests.contract.violations import Violation

# Settings the portal reads anyway (.env.example), and the stage company the tests read.
SETTINGS_NEEDED = ("MAVENTA_VENDOR_API_KEY", "MAVENTA_OPERATOR_ID", "MAVENTA_OPERATOR_SECRET")
COMPANY_NEEDED = ("MAVENTA_STAGE_COMPANY_ID", "MAVENTA_STAGE_COMPANY_API_KEY")


def why_not_live(settings) -> str:
    """Why the live tests cannot run here; empty when they can."""
    if settings.MAVENTA_ENV != "stage":
        return (
            f"live contract tests run against Maventa's stage only (MAVENTA_ENV is "
            f"{settings.MAVENTA_ENV!r}): set MAVENTA_ENV=stage, {', '.join(SETTINGS_NEEDED)} "
            f"and {', '.join(COMPANY_NEEDED)} (README, 'Contract')"
        )
    missing = [name for name in SETTINGS_NEEDED if not getattr(settings, name, "")]
    missing += [name for name in COMPANY_NEEDED if not os.environ.get(name)]
    if missing:
        return f"live contract tests need {', '.join(missing)} (README, 'Contract')"
    return ""


class ReadOnlySession(requests.Session):
    def __init__(self, ax_root: str, user_agent: str) -> None:
        super().__init__()
        # What the client's own session would carry (http.Transport sets these on sessions it
        # makes, not on one handed to it).
        self.headers["User-Agent"] = user_agent
        self.headers["Accept"] = "application/json"
        self.trust_env = False
        self.ax_path = urlsplit(ax_root).path.rstrip("/")
        self.violations: list[Violation] = []
        self.hooks["response"].append(self._check)

    def request(self, method, url, *args, **kwargs):
        path = urlsplit(url).path
        if method.upper() != "GET" and not (method.upper() == "POST" and path.endswith("/token")):
            raise AssertionError(f"live contract tests only read: refused {method} {url}")
        return super().request(method, url, *args, **kwargs)

    def _check(self, response: requests.Response, *args, **kwargs) -> None:
        sent = response.request
        path = urlsplit(sent.url).path[len(self.ax_path) :]
        query = parse_qsl(urlsplit(sent.url).query, keep_blank_values=True)
        headers = {name.lower(): value for name, value in sent.headers.items()}
        media_type = headers.get("content-type", "").split(";")[0].strip()
        body = sent.body.encode() if isinstance(sent.body, str) else sent.body
        if media_type == "application/x-www-form-urlencoded" and body:
            body = parse_qsl(body.decode(), keep_blank_values=True)
        request = Request(sent.method, path, query, headers, media_type, body or None)
        strict = contract(REQUESTS)
        self.violations += strict.forgive(check_request(strict, request))
        answer = Answer(
            response.status_code,
            {name.lower(): value for name, value in response.headers.items()},
            response.content,
        )
        lenient = contract(RESPONSES, strict=False)
        self.violations += lenient.forgive(check_answer(lenient, sent.method, path, answer))
