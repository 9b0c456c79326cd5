"""Posting Maventa's sample deliveries (copied from the vendor's examples) to the endpoint."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

SAMPLES = Path(__file__).resolve().parent / "samples"
SECRET = "test-webhook-secret"  # noqa: S105 - a test value


def sample(name: str, **changes) -> dict:
    """A sample payload; ``changes`` replace top-level fields, ``data`` merges into event_data."""
    payload = json.loads((SAMPLES / f"{name}.json").read_text())
    data = changes.pop("data", {})
    payload.update(changes)
    payload["event_data"] = {**payload["event_data"], **data}
    return payload


@pytest.fixture
def webhook_secret(settings) -> str:
    settings.MAVENTA_WEBHOOK_SECRET = SECRET
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET = ""
    settings.MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = None
    return SECRET


@pytest.fixture
def post_webhook(webhook_secret, django_capture_on_commit_callbacks, sync_tasks):
    """``post_webhook(payload or bytes, secret=..., basic=...)``: the response, with the
    processing task run inline once the delivery's transaction commits."""
    client = Client()

    def post(body, *, secret: str | None = webhook_secret, basic: str | None = None, **extra):
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        url = reverse("maventa_webhook")
        if secret is not None:
            url += f"?secret={secret}"
        if basic is not None:
            token = base64.b64encode(f"maventa:{basic}".encode()).decode()
            extra["HTTP_AUTHORIZATION"] = f"Basic {token}"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, content, content_type="application/json", **extra)

    return post
