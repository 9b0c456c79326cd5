"""Secrets in URLs never reach a log line."""

from __future__ import annotations

import logging

from maventa_portal.core.log_redaction import RedactSecrets, redact


def test_query_secrets_and_url_passwords_are_redacted():
    line = (
        '"POST /webhooks/maventa/?secret=s3cr3t&x=1 HTTP/1.1" 401 '
        "https://portal:hunter2@example.com/webhooks/ api_key=abc client_secret=def"
    )

    cleaned = redact(line)

    for secret in ("s3cr3t", "hunter2", "abc", "def"):
        assert secret not in cleaned
    assert "x=1" in cleaned
    assert "portal:[redacted]@example.com" in cleaned


def test_the_filter_rewrites_a_record_built_from_arguments():
    record = logging.LogRecord(
        "django.server", logging.WARNING, __file__, 1, '"%s" %s', ("GET /?secret=abc", 401), None
    )

    assert RedactSecrets().filter(record)

    assert record.getMessage() == '"GET /?secret=[redacted]" 401'


def test_the_console_handler_carries_the_filter(caplog):
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "filters", None))

    assert any(isinstance(f, RedactSecrets) for f in handler.filters)


def test_direct_print_header_credentials_are_redacted_as_lines_and_as_dicts():
    line = (
        "USERPW: pw-1 USER-API-KEY=key-2 {'USERPW': 'pw-3', 'USER-API-KEY': 'key-4'} sw_api_key=v5"
    )

    cleaned = redact(line)

    for secret in ("pw-1", "key-2", "pw-3", "key-4", "v5"):
        assert secret not in cleaned
    assert "'USERPW': '[redacted]'" in cleaned
