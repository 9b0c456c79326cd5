"""What the Payslip (Direct Print) service does with its state: who is calling (header
credentials), registering an account, taking a zip package, and the package's status.

Decisions kept here (the sandbox's, where Maventa publishes none; views/payslip.py lists them
for the wire):
- a Direct Print account belongs to one company and is made by ``POST /register`` under the
  company's headers; its user name is the one asked for or ``dp`` + the business ID's digits,
  its password the one given or a generated one, answered once;
- the status of a package moves RECEIVED -> PROCESSING -> PRINTED -> SENT one step every
  ``status_step_seconds`` (2 s; 0: SENT at once), or RECEIVED -> PROCESSING -> ERROR when the
  control API asked the next package to fail. Time moves lazily: the status follows from the
  moment of receipt and the step length frozen then.
"""

import base64
import binascii
import hashlib
import hmac
import io
import re
import secrets
import threading
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import accounts
from .models import Company, PrintAccount, PrintPackage, digest
from .models.payslip import FILENAME_MAX, USERNAME_MAX

DEFAULT_STEP_SECONDS = 2.0
DOCUMENT_TYPES = ("PDFXML", "EPL")
LETTER_CLASSES = ("economy", "priority")
BOOLEANS = {"true": True, "false": False}
MAX_TEXT = 255
MAX_ZIP_ENTRIES = 5000
PASSWORD_MIN, PASSWORD_MAX = 8, 128
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
COMPANY_KEY_MAX = 200

RECEIVED, PROCESSING, PRINTED, SENT, ERROR = "RECEIVED", "PROCESSING", "PRINTED", "SENT", "ERROR"
SENT_PATH = (RECEIVED, PROCESSING, PRINTED, SENT)
FAILED_PATH = (RECEIVED, PROCESSING, ERROR)
MESSAGES = {
    RECEIVED: "Package received",
    PROCESSING: "Letters being prepared for print",
    PRINTED: "Letters printed",
    SENT: "Letters handed to the post",
    ERROR: "Printing failed: the package could not be processed",
}


class PayslipSettings:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.status_step_seconds = DEFAULT_STEP_SECONDS
            self.fail_next = 0

    def configure(self, *, status_step_seconds: float, fail_next: int) -> None:
        with self._lock:
            self.status_step_seconds, self.fail_next = status_step_seconds, fail_next

    def take_failure(self) -> bool:
        """Whether the package now received is one asked to fail (using that wish up)."""
        with self._lock:
            if self.fail_next <= 0:
                return False
            self.fail_next -= 1
            return True

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"status_step_seconds": self.status_step_seconds, "fail_next": self.fail_next}


settings = PayslipSettings()


class Refused(Exception):
    """Content Maventa takes but refuses: a 200 whose text starts ``ERROR:``."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = f"ERROR: {text}"


class Denied(Exception):
    """Credentials missing, wrong (401) or without access (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Caller:
    company: Company
    account: PrintAccount | None  # None: the company has not registered Direct Print yet
    scheme: str  # "account" or "company"


def caller(headers: Any) -> Caller:
    """The header credentials' owner; Denied when missing or wrong. Values are never echoed."""
    username, password = headers.get("USERNAME", ""), headers.get("USERPW", "")
    company_uuid, api_key = headers.get("COMPANY-UUID", ""), headers.get("USER-API-KEY", "")
    if username or password:
        if not username or not password:
            raise Denied(401, "USERNAME and USERPW are both needed")
        account = None
        if len(username) <= USERNAME_MAX and len(password) <= PASSWORD_MAX:
            account = (
                PrintAccount.objects.select_related("company").filter(username=username).first()
            )
        if (
            account is None
            or not account.password_digest
            or not hmac.compare_digest(account.password_digest, digest(password))
        ):
            raise Denied(401, "Unknown Direct Print user name or wrong password")
        return Caller(account.company, account, "account")
    if company_uuid or api_key:
        if not company_uuid or not api_key:
            raise Denied(401, "COMPANY-UUID and USER-API-KEY are both needed")
        company = None
        if len(company_uuid) <= COMPANY_KEY_MAX and len(api_key) <= COMPANY_KEY_MAX:
            company = accounts.find_company(company_uuid)
        if company is None or not company.users.filter(api_key_digest=digest(api_key)).exists():
            raise Denied(401, "Unknown company or wrong user API key")
        if company.company_state != Company.State.VERIFIED:
            raise Denied(403, "The company is not verified")
        return Caller(company, PrintAccount.objects.filter(company=company).first(), "company")
    raise Denied(401, "Credentials missing: USERNAME and USERPW, or COMPANY-UUID and USER-API-KEY")


def registered(who: Caller) -> PrintAccount:
    if who.account is None:
        raise Denied(403, "Direct Print is not registered for this company")
    return who.account


def text(form: dict[str, str], name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = form.get(name, "").strip()
    if required and not value:
        raise Refused(f"{name} is missing")
    if len(value) > limit:
        raise Refused(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        # PostgreSQL keeps no NUL in text: refused here rather than failing the insert.
        raise Refused(f"{name} holds a NUL character")
    return value


# --- POST /register ------------------------------------------------------------------------


def register(who: Caller, form: dict[str, str]) -> tuple[PrintAccount, str, bool]:
    """The company's account, made or updated; its password when generated here (else ""),
    and whether it was new."""
    if who.scheme != "company":
        raise Denied(403, "Register with the Maventa account's COMPANY-UUID and USER-API-KEY")
    company = who.company
    fields = {
        "company_name": text(form, "company_name", required=True, limit=200),
        "business_id": text(form, "business_id", required=True, limit=40),
        "contact_email": text(form, "contact_email", required=True, limit=254),
        "contact_phone": text(form, "contact_phone", limit=40),
    }
    if "@" not in fields["contact_email"]:
        raise Refused("contact_email is not an email address")
    if _digits(fields["business_id"]) != _digits(company.bid):
        raise Refused("business_id is not the company's business ID")
    username = text(form, "username", limit=USERNAME_MAX)
    if username and not USERNAME_PATTERN.fullmatch(username):
        raise Refused("username may hold only letters, digits, '.', '_' and '-'")
    password = form.get("password", "")
    if password and not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise Refused(f"password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    generated = "" if password else secrets.token_urlsafe(18)
    with transaction.atomic():
        account = PrintAccount.objects.select_for_update().filter(company=company).first()
        if account is not None:
            if username and username != account.username:
                raise Refused(f"already registered as {account.username}")
            for name, value in fields.items():
                setattr(account, name, value)
            if password:
                account.password_digest = digest(password)
            account.save()
            return account, "", False
        username = username or _free_username(company)
        if PrintAccount.objects.filter(username=username).exists():
            raise Refused("username is taken")
        try:
            with transaction.atomic():
                account = PrintAccount.objects.create(
                    company=company,
                    username=username,
                    password_digest=digest(password or generated),
                    **fields,
                )
        except IntegrityError:
            raise Refused("already registered or username taken") from None
    return account, generated, True


def _digits(bid: str) -> str:
    return "".join(ch for ch in bid if ch.isalnum()).upper()


def _free_username(company: Company) -> str:
    base = f"dp{_digits(company.bid).lower()}"[: USERNAME_MAX - 8]
    name = base
    while PrintAccount.objects.filter(username=name).exists():
        name = f"{base}-{secrets.token_hex(3)}"
    return name


def create_account(
    company: Company, username: str = "", password: str = ""
) -> tuple[PrintAccount, str]:
    """The control API's shortcut past ``/register``; returns the password (given or made)."""
    password = password or secrets.token_urlsafe(18)
    account, _ = PrintAccount.objects.update_or_create(
        company=company,
        defaults={
            "username": username or _free_username(company),
            "password_digest": digest(password),
            "company_name": company.name[:200],
            "business_id": company.bid[:40],
            "contact_email": (company.email or "print@example.com")[:254],
        },
    )
    return account, password


# --- POST /input_public --------------------------------------------------------------------


def take_package(account: PrintAccount, form: dict[str, str]) -> PrintPackage:
    """Every check of FIELDS.md section 11, then the package kept; Refused names the first
    that fails."""
    filename = text(form, "filename", required=True, limit=FILENAME_MAX)
    if not filename.lower().endswith(".zip"):
        raise Refused("filename must end in .zip")
    if "/" in filename or "\\" in filename:
        raise Refused("filename may not hold a path")
    vendor_key = text(form, "sw_api_key", required=True, limit=COMPANY_KEY_MAX)
    if accounts.find_vendor(vendor_key) is None:
        raise Refused("unknown sw_api_key")
    encoded = form.get("file", "")
    if not encoded:
        raise Refused("file is missing")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("file is not base64") from None
    if not data:
        raise Refused("file is empty")
    given_hash = text(form, "hash", required=True, limit=64).lower()
    zip_hash = text(form, "zipHash", required=True, limit=64).lower()
    actual = hashlib.sha1(data).hexdigest()  # noqa: S324 - Maventa's checksum, not security
    if given_hash != actual:
        raise Refused("hash mismatch")
    if zip_hash != given_hash:
        raise Refused("zipHash mismatch")
    document_type = text(form, "document_type") or "PDFXML"
    if document_type not in DOCUMENT_TYPES:
        raise Refused(f"document_type must be one of {', '.join(DOCUMENT_TYPES)}")
    letter_class = text(form, "letter_class") or "priority"
    if letter_class not in LETTER_CLASSES:
        raise Refused(f"letter_class must be one of {', '.join(LETTER_CLASSES)}")
    flags = {}
    for name in ("color_print", "duplex"):
        value = text(form, name) or "false"
        if value not in BOOLEANS:
            raise Refused(f"{name} must be true or false")
        flags[name] = BOOLEANS[value]
    version = text(form, "version")
    text(form, "license_key")
    text(form, "license_meta", limit=1000)
    letters = count_letters(data, document_type)
    if PrintPackage.objects.filter(account=account, filename=filename).exists():
        raise Refused(f"duplicate filename {filename}")
    try:
        with transaction.atomic():
            return PrintPackage.objects.create(
                account=account,
                filename=filename,
                sha1=actual,
                size=len(data),
                letters=letters,
                document_type=document_type,
                letter_class=letter_class,
                version=version,
                fails=settings.take_failure(),
                step_seconds=settings.snapshot()["status_step_seconds"],
                **flags,
            )
    except IntegrityError:
        raise Refused(f"duplicate filename {filename}") from None


def count_letters(data: bytes, document_type: str) -> int:
    """PDF entries of a PDFXML package (by their %PDF start), EPL entries of an EPL one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > MAX_ZIP_ENTRIES:
            raise Refused(f"more than {MAX_ZIP_ENTRIES} entries in the zip")
        if document_type == "EPL":
            letters = sum(1 for info in entries if info.filename.lower().endswith(".epl"))
        else:
            letters = 0
            for info in entries:
                if info.filename.lower().endswith(".pdf"):
                    with archive.open(info) as entry:
                        if entry.read(5) != b"%PDF-":
                            raise Refused(f"{info.filename} is not a PDF")
                    letters += 1
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError):
        raise Refused("file is not a readable zip") from None
    if not letters:
        kind = "EPL" if document_type == "EPL" else "PDF"
        raise Refused(f"no {kind} letters in the zip")
    return letters


# --- POST /file_status ---------------------------------------------------------------------


def history(package: PrintPackage, now: datetime | None = None) -> list[tuple[str, datetime]]:
    """The statuses the package has reached, with when."""
    path = FAILED_PATH if package.fails else SENT_PATH
    step = package.step_seconds
    if step <= 0:
        return [(status, package.received_at) for status in path]
    elapsed = ((now or timezone.now()) - package.received_at).total_seconds()
    reached = min(int(max(elapsed, 0) // step), len(path) - 1)
    return [
        (status, package.received_at + timedelta(seconds=step * n))
        for n, status in enumerate(path[: reached + 1])
    ]
