from http import HTTPStatus

import pytest
from django.db import OperationalError, connections
from django_q.brokers import get_broker

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_reports_database_outage(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unavailable"


def test_healthz_reports_broker_outage(client, monkeypatch):
    # Neither the ORM broker nor a local Redis can be made to fail on request, so the ping
    # itself is made to fail the way redis-py's does.
    def refuse(self):
        raise ConnectionError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(type(get_broker()), "ping", refuse)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_healthz_refuses_writes(client):
    response = client.post("/healthz")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
