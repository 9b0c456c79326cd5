"""Direct Print secrets (the account's password, a user API key) are never logged, shown on a
page or in the admin, or written to the audit trail, whatever happens to the calls."""

from __future__ import annotations

import logging
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange import tasks
from exchange.models import PrintAccount, PrintBatch
from maventa_portal.core.models import AuditEntry
from tests.exchange.test_print_packages import make_pdf, make_zip

PASSWORD = "Print-Pw-5e3cr3t-1"  # noqa: S105 - a test value looked for everywhere
WRONG_KEY = "Wrong-Key-5e3cr3t-2"
PACKAGE = make_zip([("one.pdf", make_pdf())])


def _audit_text() -> str:
    return " ".join(
        f"{entry.asked} {entry.reason} {entry.object_repr}" for entry in AuditEntry.objects.all()
    )


def _admin_pages(client, account: PrintAccount, batch: PrintBatch) -> str:
    urls = [
        reverse("admin:exchange_printaccount_changelist"),
        reverse("admin:exchange_printaccount_change", args=[account.pk]),
        reverse("admin:exchange_printbatch_changelist"),
        reverse("admin:exchange_printbatch_change", args=[batch.pk]),
    ]
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_secrets_never_reach_logs_pages_admin_or_audit(
    operator_client, make_company, sandbox, caplog
):
    caplog.set_level(logging.DEBUG)
    company = make_company()
    company_key = company.credential.get_api_key()
    register_url = reverse("exchange:print_register", args=[company.pk])
    pages = [
        operator_client.post(
            register_url,
            {"scheme": "company", "contact_email": "p@example.com", "user_api_key": WRONG_KEY},
        ),
        operator_client.post(
            register_url,
            {
                "scheme": "account",
                "username": "printer-secret",
                "password": PASSWORD,
                "contact_email": "p@example.com",
            },
            follow=True,
        ),
        operator_client.get(register_url),
    ]
    sent = operator_client.post(
        reverse("exchange:print_send"),
        {
            "company": company.pk,
            "files": [SimpleUploadedFile("letters.zip", PACKAGE)],
            "letter_class": "economy",
            "request_key": uuid.uuid4().hex,
        },
        follow=True,
    )
    batch = PrintBatch.objects.get()
    PrintBatch.objects.filter(pk=batch.pk).update(next_poll_at=batch.created_at)
    tasks.poll_print_statuses()
    pages += [
        sent,
        operator_client.post(reverse("exchange:print_check", args=[batch.pk]), follow=True),
        operator_client.get(reverse("exchange:print_list")),
    ]
    account = PrintAccount.objects.get(company=company)

    shown = "\n".join(page.content.decode() for page in pages)
    shown += _admin_pages(operator_client, account, batch)
    assert account.scheme == PrintAccount.Scheme.ACCOUNT
    assert batch.status != PrintBatch.Status.FAILED
    assert AuditEntry.objects.filter(event__startswith="print.").count() >= 4
    for secret in (PASSWORD, WRONG_KEY, company_key, account.encrypted_secret):
        assert secret not in caplog.text
        assert secret not in shown
        assert secret not in _audit_text()
    assert "stored encrypted (not shown)" in shown
    assert PASSWORD not in repr(account)
