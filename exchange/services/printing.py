"""Direct Print (API.md "Payslip (Direct Print)"): registering a company, sending a checked
zip package of letters once, and following its status until Maventa calls it final.

Sending: the request checks the package, claims the batch by its request key (and a unique
file name) and queues it with its zip, so the same form sent twice queues once. The task
worker sends it (``deliver``): a package of tens of megabytes takes longer than any web
request may wait for Maventa. A QUEUED batch whose task was lost is queued again by the poll;
the zip is deleted once the batch is final. A 200 whose text is not ``OK`` is a FAILED batch
showing Maventa's text. A send whose answer was lost is UNKNOWN, never sent again by
the portal: ``file_status`` asked by its file name settles it (found: its status; Maventa has
no such file: FAILED, nothing was received). The same package (SHA-1) sent earlier for the
company is refused unless staff confirm.

Polling: ``poll_status`` asks for non-final batches that are due, the longest unpolled first,
at most ``POLL_LIMIT`` a run; each poll doubles the wait before the next (up to
``POLL_MAX_WAIT``) and the history gains an entry only when the status or text changed.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from companies.access import NOT_ON_MAVENTA, CompanyNotReady, credentials_for
from companies.models import Company
from maventa_portal import maventa
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.crypto import UnreadableSecret
from maventa_portal.core.errors import PortalError, Refused, staff_message_of
from maventa_portal.maventa_api import deadline, payslip
from maventa_portal.maventa_api.client import Api
from maventa_portal.maventa_api.errors import MaventaError, NotFound, RateLimited, Unavailable

from .. import files
from ..print_models import PrintAccount, PrintBatch
from ..print_packages import Limits, Package, PackageRefused, check_zip, pack_files

log = logging.getLogger(__name__)

Status = PrintBatch.Status
NOT_REGISTERED = "{company} has no Direct Print registration: register it first."
UNKNOWN_SCHEME = "Choose how the portal signs in: a Direct Print account or the Maventa account."
NO_USERNAME = "Maventa registered {company} but gave no user name: give the one to use."
NO_PASSWORD = "Maventa registered {company} but gave no password: give the one to use."  # noqa: S105 - a message
DUPLICATE = (
    "This package (SHA-1 {checksum}) was sent for {company} already: {filename} on {when} by "
    "{who}. Tick “Send it again” to send it once more."
)
LOST_ANSWER = (
    "Maventa did not answer: the package may or may not have arrived. The portal asks Maventa "
    "for its status by its file name and never sends it again by itself."
)
NOT_RECEIVED = "Maventa has no file named {filename}: the package was not received."
NOT_THERE_YET = (
    "Maventa has no file named {filename} yet: a send still on its way may arrive, so the "
    "portal asks again before calling it not received."
)
STILL_QUEUED = "{filename} is queued and has not left yet: there is no status to ask for."
PACKAGE_MISSING = (
    "The package of {filename} is no longer stored, so it cannot be sent: send the letters again."
)
CANNOT_DECRYPT = "The Direct Print secret of {company} cannot be decrypted: register again."

SEND_TASK = "exchange.tasks.send_print_batch"
FIRST_POLL = timedelta(minutes=1)
# A batch still QUEUED this long after its claim lost its task (the broker, a killed worker).
QUEUED_LOST_AFTER = timedelta(minutes=5)
POLL_MAX_WAIT = timedelta(hours=1)
# A batch still SENDING this long after its claim was cut off mid-call (a killed worker).
SENDING_CUT_OFF = timedelta(minutes=5)
# After this long without a final status the schedule stops asking; "Check status now" still can.
POLL_GIVE_UP = timedelta(days=14)
POLL_LIMIT = 50
# An unanswered send may still be arriving (the client waits up to 120 s, FIELDS.md section
# 11): only after this long does "no such file" mean it never arrived.
NOT_FOUND_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class PrintOptions:
    letter_class: str = PrintBatch.LetterClass.PRIORITY
    color_print: bool = False
    duplex: bool = False


def build_package(*, uploads: list[tuple[str, bytes]], limits: Limits | None = None) -> Package:
    """One zip uploaded is checked as it is; PDF or EPL files are packed into one.

    Raises ``Refused`` listing every refusal on the ``files`` field, entry by entry.
    """
    limits = limits or Limits()
    try:
        if len(uploads) == 1 and uploads[0][0].lower().endswith(".zip"):
            return check_zip(uploads[0][1], limits=limits)
        return pack_files(uploads, limits=limits)
    except PackageRefused as exc:
        lines = [
            f"{refusal.entry}: {refusal.reason}" if refusal.entry else refusal.reason
            for refusal in exc.refusals
        ]
        raise Refused({"files": lines or [exc.staff_message]}) from exc


def print_credentials(account: PrintAccount) -> payslip.PrintCredentials:
    company = account.company
    try:
        if account.scheme == PrintAccount.Scheme.ACCOUNT:
            return payslip.PrintCredentials(
                scheme=payslip.ACCOUNT, username=account.username, password=account.get_secret()
            )
        key = account.get_secret() or credentials_for(company).api_key
        return payslip.PrintCredentials(
            scheme=payslip.COMPANY, company_uuid=_company_uuid(company), user_api_key=key
        )
    except UnreadableSecret as exc:
        raise CompanyNotReady(CANNOT_DECRYPT.format(company=company)) from exc
    except ValueError as exc:  # a value missing: the message names which, never a secret
        raise CompanyNotReady(f"{company}: {exc}") from exc


def print_api(account: PrintAccount) -> Api:
    """The header-credential Api of the company's Direct Print account."""
    return maventa.get_client().payslip(print_credentials(account))


def account_of(company: Company) -> PrintAccount:
    account = PrintAccount.objects.filter(company=company).select_related("company").first()
    if account is None or account.state != PrintAccount.State.REGISTERED:
        raise PortalError(NOT_REGISTERED.format(company=company))
    return account


def register(
    *,
    company: Company,
    scheme: str,
    contact_email: str,
    contact_phone: str = "",
    username: str = "",
    password: str = "",
    user_api_key: str = "",
    actor: Actor | None = None,
) -> PrintAccount:
    """``POST /register`` with the Maventa account's headers (the key given, or the company's
    stored one); the Direct Print account asked for travels in the form (without a password
    Maventa makes one). Secrets are kept encrypted once Maventa accepted them, and only then."""
    asked = {
        "scheme": scheme,
        "username": username,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "own_api_key": bool(user_api_key),
    }
    with recording(actor, "print.register", target=company, company=company, asked=asked) as rec:
        if scheme not in PrintAccount.Scheme.values:
            raise Refused({"scheme": [UNKNOWN_SCHEME]})
        key = user_api_key or credentials_for(company).api_key
        api = maventa.get_client().payslip(
            payslip.PrintCredentials(
                scheme=payslip.COMPANY, company_uuid=_company_uuid(company), user_api_key=key
            )
        )
        account_fields = {"username": username, "password": password}
        if scheme != PrintAccount.Scheme.ACCOUNT:
            account_fields = {}
        registration = payslip.register(
            api,
            company_name=company.name,
            business_id=company.bid,
            contact_email=contact_email,
            contact_phone=contact_phone,
            **account_fields,
        )
        name = registration.username or username
        # Without a password given, Maventa makes one and tells it this once: kept, never shown.
        secret = password or registration.password
        if scheme != PrintAccount.Scheme.ACCOUNT:
            name, secret = "", user_api_key
        elif not name:
            raise PortalError(NO_USERNAME.format(company=company))
        elif not secret:
            raise PortalError(NO_PASSWORD.format(company=company))
        account = _keep_account(company, scheme, name, secret, registration.text, actor)
        rec.target, rec.note = account, registration.text[:200]
    return account


def _keep_account(company, scheme, username, secret, text, actor) -> PrintAccount:
    with transaction.atomic():
        account, _ = PrintAccount.objects.select_for_update().get_or_create(
            company=company, defaults={"scheme": scheme}
        )
        account.scheme, account.username = scheme, username
        account.set_secret(secret)
        account.state = PrintAccount.State.REGISTERED
        account.maventa_text = text[:1000]
        account.registered_at = timezone.now()
        account.registered_by = _user(actor)
        account.full_clean()
        account.save()
    return account


def earlier_batch(company: Company, checksum: str) -> PrintBatch | None:
    """The latest batch of the same package that may have reached Maventa (failed ones did not)."""
    return (
        PrintBatch.objects.filter(company=company, checksum=checksum)
        .exclude(status=Status.FAILED)
        .select_related("sent_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def send(
    *,
    company: Company,
    package: Package,
    options: PrintOptions,
    request_key: str,
    confirm_duplicate: bool = False,
    actor: Actor | None = None,
) -> tuple[PrintBatch, bool]:
    """``(batch, queued)``: the batch QUEUED with its package, sent by the task worker once
    this transaction commits (``deliver``). ``queued`` is False when this request key was used
    already (nothing is queued again)."""
    claimed = PrintBatch.objects.filter(request_key=request_key).first()
    if claimed is not None:
        return claimed, False
    filename = new_filename(company)
    asked = {
        "filename": filename,
        "checksum": package.sha1,
        "size": package.size,
        "letters": package.letters,
        "document_type": package.document_type,
        "letter_class": options.letter_class,
        "color_print": options.color_print,
        "duplex": options.duplex,
        "confirm_duplicate": confirm_duplicate,
        "request_key": request_key,
    }
    with recording(actor, "print.send", target=PrintBatch, company=company, asked=asked) as rec:
        # Refused here, while staff can still act on it, rather than by the task later.
        print_api(account_of(company))
        _vendor_key(company)
        batch, created = _claim(
            company, package, options, filename, request_key, actor, confirm_duplicate
        )
        rec.target = batch
        if not created:
            rec.note = "sent already by the same request"
            return batch, False
        rec.note = "queued"
    transaction.on_commit(lambda: enqueue(batch.pk), robust=True)
    return batch, True


def enqueue(batch_id: int) -> None:
    from django_q.tasks import async_task

    # The client may wait its whole connect and read time; the cluster's default task timeout
    # would kill the worker mid-send (the batch then waits for SENDING_CUT_OFF).
    timeout = int(sum(payslip.SEND_TIMEOUT)) + 30
    async_task(SEND_TASK, batch_id, save=False, timeout=timeout)


def deliver(batch_id: int) -> str:
    """The task: sends a QUEUED batch once and says what became of it.

    QUEUED -> SENDING is taken under the row's lock, so a task enqueued twice (or re-enqueued
    by the poll) sends once. The call itself runs outside any transaction with the client's
    full timeout: a task answers no request, so no interactive deadline applies. Maventa's
    refusal leaves the batch FAILED, a lost answer UNKNOWN (never sent again by itself)."""
    batch = PrintBatch.objects.select_related("company").filter(pk=batch_id).first()
    if batch is None or batch.status != Status.QUEUED:
        return "not queued"
    try:
        api = print_api(account_of(batch.company))
        sw_api_key = _vendor_key(batch.company)
        data = _read_package(batch)
    except PortalError as exc:  # nothing left: FAILED, staff send it again once fixed
        _change(batch, Status.FAILED, staff_message_of(exc), final=True, only_from=Status.QUEUED)
        return batch.status
    if not _take(batch):
        return "not queued"
    try:
        with deadline(None):
            receipt = payslip.send_package(
                api,
                filename=batch.filename,
                data=data,
                sw_api_key=sw_api_key,
                document_type=batch.document_type,
                letter_class=batch.letter_class,
                color_print=batch.color_print,
                duplex=batch.duplex,
                version=f"MaventaPortal/{settings.PORTAL_VERSION}",
            )
    except MaventaError as exc:
        _after_failed_send(batch, exc)
        return batch.status
    _change(batch, Status.ACCEPTED, receipt.text, next_poll=timezone.now() + FIRST_POLL)
    return batch.status


def _read_package(batch: PrintBatch) -> bytes:
    if not batch.package:
        raise PortalError(PACKAGE_MISSING.format(filename=batch.filename))
    try:
        with batch.package.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise PortalError(PACKAGE_MISSING.format(filename=batch.filename)) from exc


def _take(batch: PrintBatch) -> bool:
    """QUEUED -> SENDING in one transaction holding the row; False when another task took it."""
    with transaction.atomic():
        fresh = PrintBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if fresh is None or fresh.status != Status.QUEUED:
            return False
        now = timezone.now()
        fresh.status, fresh.maventa_text = Status.SENDING, ""
        fresh.sent_at = now
        fresh.next_poll_at = now + SENDING_CUT_OFF
        fresh.history = [
            *fresh.history,
            {"at": now.isoformat(), "status": Status.SENDING, "text": ""},
        ]
        fresh.save()
    batch.refresh_from_db()
    return True


def requeue_lost(*, now=None) -> int:
    """QUEUED batches whose task never ran (the broker lost it, the worker died first) are
    queued again once due (``QUEUED_LOST_AFTER`` after their claim, then as often);
    ``deliver`` sends each once whichever task comes first."""
    now = now or timezone.now()
    lost = list(
        PrintBatch.objects.filter(status=Status.QUEUED, next_poll_at__lte=now)
        .order_by("next_poll_at", "pk")
        .values_list("pk", flat=True)[:POLL_LIMIT]
    )
    for pk in lost:
        log.warning("Direct Print batch %s still queued: its task is queued again", pk)
        PrintBatch.objects.filter(pk=pk, status=Status.QUEUED).update(
            next_poll_at=now + QUEUED_LOST_AFTER
        )
        try:
            enqueue(pk)
        except Exception:  # the broker down: the next run tries again; the polls go on
            log.exception("Direct Print batch %s not queued again", pk)
    return len(lost)


def new_filename(company: Company) -> str:
    """Unique, ``.zip`` and without a path (FIELDS.md section 11: ``filename``)."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return f"print-{company.pk}-{stamp}-{uuid.uuid4().hex[:12]}.zip"


def refresh_status(*, batch: PrintBatch, actor: Actor | None = None) -> PrintBatch:
    """Asks ``file_status`` once (staff's "Check status now"); audited."""
    asked = {"filename": batch.filename}
    with recording(
        actor, "print.check_status", target=batch, company=batch.company_id, asked=asked
    ) as rec:
        if batch.status == Status.QUEUED:
            raise PortalError(STILL_QUEUED.format(filename=batch.filename))
        _poll_one(batch)
        rec.note = f"{batch.status}: {batch.maventa_text[:150]}"
    return batch


def poll_status(*, limit: int = POLL_LIMIT) -> dict[str, int]:
    """The schedule's run over non-final batches that are due; errors wait for the next turn."""
    counts = {"polled": 0, "changed": 0, "final": 0, "errors": 0}
    counts["requeued"] = requeue_lost()
    due = (
        PrintBatch.objects.filter(final=False, next_poll_at__lte=timezone.now())
        .exclude(status=Status.QUEUED)
        .select_related("company")
        .order_by(F("polled_at").asc(nulls_first=True), "pk")[:limit]
    )
    for batch in due:
        before = (batch.status, batch.maventa_text)
        try:
            _poll_one(batch)
        except (MaventaError, PortalError) as exc:
            counts["errors"] += 1
            log.warning("Direct Print status of batch %s not read: %s", batch.pk, exc)
            continue
        counts["polled"] += 1
        counts["changed"] += (batch.status, batch.maventa_text) != before
        counts["final"] += batch.final
    return counts


def _poll_one(batch: PrintBatch) -> None:
    now = timezone.now()
    try:
        found = payslip.file_status(print_api(account_of(batch.company)), filename=batch.filename)
    except NotFound:
        unanswered = batch.status in (Status.UNKNOWN, Status.SENDING)
        # From when it left: a batch may have waited in the queue long before.
        if unanswered and now - (batch.sent_at or batch.created_at) >= NOT_FOUND_GRACE:
            _change(batch, Status.FAILED, NOT_RECEIVED.format(filename=batch.filename), final=True)
            return
        _reschedule(batch, now)
        if unanswered:
            raise PortalError(NOT_THERE_YET.format(filename=batch.filename)) from None
        raise
    except (MaventaError, PortalError):
        _reschedule(batch, now)
        raise
    next_poll = None if found.final else now + _wait_after(batch.polls + 1)
    if not found.final and now - batch.created_at > POLL_GIVE_UP:
        next_poll = None
    _change(
        batch,
        found.status,
        found.text,
        final=found.final,
        next_poll=next_poll,
        letters=found.letters,
        polled_at=now,
    )


def _wait_after(polls: int) -> timedelta:
    return min(FIRST_POLL * (2 ** min(polls, 12)), POLL_MAX_WAIT)


def _reschedule(batch: PrintBatch, now) -> None:
    batch.polls += 1
    batch.polled_at = now
    batch.next_poll_at = now + _wait_after(batch.polls)
    batch.save(update_fields=["polls", "polled_at", "next_poll_at"])


def _change(
    batch: PrintBatch,
    status: str,
    text: str,
    *,
    final: bool = False,
    next_poll=None,
    letters: int | None = None,
    polled_at=None,
    only_from: str | None = None,
) -> None:
    """Sets the batch's status; the history gains an entry only when something changed. A
    final batch's stored zip is deleted (personal data); what it held stays described."""
    status, text = status[:64], text[:1000]
    with transaction.atomic():
        fresh = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        settled = fresh.final and not final  # the schedule and a staff check crossing
        if settled or (only_from is not None and fresh.status != only_from):
            batch.refresh_from_db()
            return
        last = fresh.history[-1] if fresh.history else {}
        if (last.get("status"), last.get("text")) != (status, text):
            fresh.history = [
                *fresh.history,
                {"at": timezone.now().isoformat(), "status": status, "text": text},
            ]
        fresh.status, fresh.maventa_text, fresh.final = status, text, final
        fresh.next_poll_at = None if final else next_poll
        if letters is not None:
            fresh.letters = letters
        if polled_at is not None:
            fresh.polled_at = polled_at
            fresh.polls += 1
        stored = fresh.package.name if final else ""
        if stored:
            fresh.package = ""
        fresh.save()
    if stored:
        # After the commit: a rolled-back change must not lose the file it still needs.
        transaction.on_commit(lambda: fresh.package.storage.delete(stored), robust=True)
    batch.refresh_from_db()


def _after_failed_send(batch: PrintBatch, exc: MaventaError) -> None:
    if isinstance(exc, Unavailable) and not isinstance(exc, RateLimited):
        # It may have arrived (a timeout after sending, a 5xx): only file_status can tell.
        log.warning("Direct Print send of batch %s unanswered: %s", batch.pk, exc)
        _change(batch, Status.UNKNOWN, LOST_ANSWER, next_poll=timezone.now() + FIRST_POLL)
        return
    _change(batch, Status.FAILED, staff_message_of(exc), final=True)


def _claim(
    company, package, options, filename, request_key, actor, confirm_duplicate
) -> tuple[PrintBatch, bool]:
    """The batch saved before anything is sent. The duplicate check and the save share one
    transaction holding the company's row, so two sends of one package cannot both pass it."""
    batch = PrintBatch(
        company=company,
        filename=filename,
        checksum=package.sha1,
        size=package.size,
        letters=package.letters or 0,
        entries=[_entry_name(entry) for entry in package.entries][:500],
        document_type=package.document_type,
        letter_class=options.letter_class,
        color_print=options.color_print,
        duplex=options.duplex,
        status=Status.QUEUED,
        request_key=request_key,
        sent_by=_user(actor),
        # Not polled: a batch still QUEUED by then lost its task and is queued again.
        next_poll_at=timezone.now() + QUEUED_LOST_AFTER,
        history=[{"at": timezone.now().isoformat(), "status": Status.QUEUED, "text": ""}],
    )
    batch.full_clean(exclude=["request_key", "filename"])
    try:
        with transaction.atomic():
            Company.objects.select_for_update().only("pk").get(pk=company.pk)
            claimed = PrintBatch.objects.filter(request_key=request_key).first()
            if claimed is not None:
                return claimed, False
            earlier = earlier_batch(company, package.sha1)
            if earlier is not None and not confirm_duplicate:
                raise Refused({"confirm_duplicate": [_duplicate_message(company, earlier)]})
            files.store(batch.package, filename, package.data)
            batch.save()
    except IntegrityError:  # the same request at the same moment: the other one sends
        batch.package.delete(save=False)
        return PrintBatch.objects.get(request_key=request_key), False
    except BaseException:
        if batch.package:
            batch.package.delete(save=False)
        raise
    return batch, True


def _entry_name(entry) -> str:
    return str(getattr(entry, "name", entry))[:255]


def _company_uuid(company: Company) -> str:
    if company.maventa_id is None:
        raise CompanyNotReady(NOT_ON_MAVENTA.format(company=company))
    return str(company.maventa_id)


def _vendor_key(company: Company) -> str:
    """The partner's vendor key (``sw_api_key``): the company's own, else the portal's."""
    if not company.vendor_key_id:
        return settings.MAVENTA_VENDOR_API_KEY
    try:
        return company.vendor_key.get_key()
    except UnreadableSecret as exc:
        raise CompanyNotReady(f"{company}: {exc}") from exc


def _duplicate_message(company: Company, earlier: PrintBatch) -> str:
    when = timezone.localtime(earlier.sent_at or earlier.created_at)
    who = earlier.sent_by.get_username() if earlier.sent_by else "the system"
    return DUPLICATE.format(
        checksum=earlier.checksum,
        company=company.name,
        filename=earlier.filename,
        when=f"{when:%Y-%m-%d %H:%M}",
        who=who,
    )


def _user(actor: Actor | None):
    user = actor.user if actor is not None else None
    return user if getattr(user, "pk", None) else None
