"""Payslip (Direct Print): EPL and PDF letters printed and posted in Finland (API.md "Payslip",
FIELDS.md section 11 and section 12 row 29).

Requests carry header credentials instead of a bearer token (`PrintCredentials`): the Direct
Print account's `USERNAME` + `USERPW`, or the Maventa account's `COMPANY-UUID` +
`USER-API-KEY`. A 401 or 403 is those credentials' fault and is not retried (client.HeaderApi).

`send_package` speaks FIELDS.md section 11 as published. Maventa publishes no fields for
`/register` and `/file_status`; what this module assumes, to correct against Maventa's
documentation (each in one place below):
- `POST /register`: form fields `company_name`, `business_id`, `contact_email`,
  `contact_phone`, optional `username` (the account name asked for) and `password`; the
  header credentials of the Maventa account (COMPANY scheme) authorise it. The answer is text
  (or JSON `{status, message, username}`) starting with `OK` when registered; the account's
  user name is read from JSON `username` or a `username: <name>` / `USERNAME=<name>` in the text;
  a password Maventa made (none given) from JSON `password`.
- `POST /file_status`: form field `filename` (the name the package was sent under). The answer
  is JSON `{status, letters, message}` or a text whose first word is the status; statuses
  RECEIVED, PROCESSING, PRINTED (not final) and SENT, ERROR (final). Unknown statuses are kept
  as given and count as not final.
- A 200 whose text does not start with `OK` from `/register` is a refusal too (`SendRefused`).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .client import Api
from .errors import MaventaError, refused_here

ACCOUNT = "account"  # USERNAME + USERPW of the Direct Print account
COMPANY = "company"  # COMPANY-UUID + USER-API-KEY of the Maventa account
SCHEMES = (ACCOUNT, COMPANY)

DOCUMENT_TYPES = ("PDFXML", "EPL")
LETTER_CLASSES = ("economy", "priority")

# Statuses of a sent package (assumed, see above); the final ones end the polling.
RECEIVED, PROCESSING, PRINTED, SENT, ERROR = "RECEIVED", "PROCESSING", "PRINTED", "SENT", "ERROR"
STATUSES = (RECEIVED, PROCESSING, PRINTED, SENT, ERROR)
FINAL_STATUSES = frozenset({SENT, ERROR})

# The public client waits 120 s for a package to be taken (FIELDS.md section 11).
SEND_TIMEOUT = (10.0, 120.0)

# FIELDS.md section 11 gives 255 for the licence key; the same bound keeps the other texts sane.
MAX_TEXT = 255

_SCHEME_LABELS = {
    ACCOUNT: "Direct Print account (USERNAME and USERPW)",
    COMPANY: "Maventa account (COMPANY-UUID and USER-API-KEY)",
}


def _mask(value: str) -> str:
    return "***" if value else "''"


@dataclass(frozen=True)
class PrintCredentials:
    """One of the two header schemes; `repr` shows which, never a secret."""

    scheme: str
    username: str = ""
    password: str = field(default="", repr=False)
    company_uuid: str = ""
    user_api_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(f"Unknown Direct Print credential scheme {self.scheme!r}.")
        needed = (
            (self.username, self.password)
            if self.scheme == ACCOUNT
            else (self.company_uuid, self.user_api_key)
        )
        if not all(needed):
            raise ValueError(f"The {self.label} needs both values.")

    def __repr__(self) -> str:
        if self.scheme == ACCOUNT:
            return f"PrintCredentials(account username={self.username!r} password=***)"
        return f"PrintCredentials(company company_uuid={self.company_uuid!r} user_api_key=***)"

    __str__ = __repr__

    @property
    def label(self) -> str:
        """Which credentials these are, in words for staff."""
        return _SCHEME_LABELS[self.scheme]

    @property
    def client_id(self) -> str:
        """The non-secret half, for logs and reprs."""
        return self.username if self.scheme == ACCOUNT else self.company_uuid

    def headers(self) -> dict[str, str]:
        if self.scheme == ACCOUNT:
            return {"USERNAME": self.username, "USERPW": self.password}
        return {"COMPANY-UUID": self.company_uuid, "USER-API-KEY": self.user_api_key}


@dataclass(frozen=True)
class Registration:
    ok: bool
    text: str
    username: str = ""
    # Only when Maventa made the password (none was given): shown this once, never in a repr.
    password: str = field(default="", repr=False)


@dataclass(frozen=True)
class Receipt:
    text: str  # Maventa's "OK..." answer


@dataclass(frozen=True)
class FileStatus:
    status: str
    final: bool
    text: str
    letters: int | None = None
    raw: Any = field(default=None, repr=False, compare=False)


class SendRefused(MaventaError):
    """A 200 whose text does not start with OK: Maventa took the request but refused its
    content. `staff_message` carries Maventa's text."""

    staff_message = "Maventa refused the package."


# The table of endpoints: one helper per path (the contract check reads them).
def payslip_register_path() -> str:
    return "/register"


def payslip_input_path() -> str:
    return "/input_public"


def payslip_file_status_path() -> str:
    return "/file_status"


def register(
    api: Api,
    *,
    company_name: str,
    business_id: str,
    contact_email: str,
    contact_phone: str = "",
    username: str = "",
    password: str = "",
) -> Registration:
    """`POST /register` (form, fields assumed: see the module's docstring) -> 200 `OK...`."""
    form = {
        "company_name": _text("company name", company_name, required=True),
        "business_id": _text("business ID", business_id, required=True),
        "contact_email": _text("contact email", contact_email, required=True),
        "contact_phone": _text("contact phone", contact_phone),
        "username": _text("user name", username),
        "password": _text("password", password, secret=True),
    }
    if "@" not in form["contact_email"]:
        raise refused_here("contact email without @", "The contact email is not an email address.")
    form = {key: value for key, value in form.items() if value}
    response = api.post(
        payslip_register_path(), api="payslip", data=form, resource="Direct Print registration"
    )
    body = response.body()
    text = _answer_text(body)
    if not text.upper().startswith("OK"):
        raise _refused("POST", payslip_register_path(), text, "Maventa refused the registration.")
    made = str(body.get("password") or "") if isinstance(body, dict) else ""
    return Registration(
        ok=True, text=text, username=_username(body, text) or username, password=made
    )


def send_package(
    api: Api,
    *,
    filename: str,
    data: bytes,
    sw_api_key: str,
    document_type: str = "PDFXML",
    letter_class: str = "priority",
    color_print: bool = False,
    duplex: bool = False,
    version: str = "",
) -> Receipt:
    """`POST /input_public` (form, FIELDS.md section 11) -> 200 `OK...`: one zip of letters."""
    form = package_form(
        filename=filename,
        data=data,
        sw_api_key=sw_api_key,
        document_type=document_type,
        letter_class=letter_class,
        color_print=color_print,
        duplex=duplex,
        version=version,
    )
    response = api.post(
        payslip_input_path(),
        api="payslip",
        data=form,
        resource="Direct Print sending",
        timeout=SEND_TIMEOUT,
    )
    text = _answer_text(response.body())
    if not text.startswith("OK"):
        raise _refused("POST", payslip_input_path(), text, "Maventa refused the package.")
    return Receipt(text=text)


def package_form(
    *,
    filename: str,
    data: bytes,
    sw_api_key: str,
    document_type: str = "PDFXML",
    letter_class: str = "priority",
    color_print: bool = False,
    duplex: bool = False,
    version: str = "",
) -> dict[str, str]:
    """The form of `/input_public`, checked before anything is sent."""
    filename = _text("file name", filename, required=True)
    if not filename.lower().endswith(".zip"):
        raise refused_here("file name not .zip", "The package's file name must end in .zip.")
    if "/" in filename or "\\" in filename:
        raise refused_here("file name has a path", "The package's file name may not hold a path.")
    if not isinstance(data, bytes | bytearray) or not data:
        raise refused_here("empty package", "The package is empty.")
    if bytes(data[:2]) != b"PK":
        raise refused_here("package not a zip", "The package is not a zip file.")
    sw_api_key = _text("vendor API key", sw_api_key, required=True, secret=True)
    if document_type not in DOCUMENT_TYPES:
        raise refused_here(
            f"document type {document_type!r}",
            f"The document type must be one of {', '.join(DOCUMENT_TYPES)}.",
        )
    if letter_class not in LETTER_CLASSES:
        raise refused_here(
            f"letter class {letter_class!r}",
            f"The letter class must be one of {', '.join(LETTER_CLASSES)}.",
        )
    digest = hashlib.sha1(bytes(data)).hexdigest()  # noqa: S324 - Maventa's checksum, not security
    form = {
        "filename": filename,
        "file": base64.b64encode(bytes(data)).decode("ascii"),
        "hash": digest,
        "zipHash": digest,
        "sw_api_key": sw_api_key,
        "document_type": document_type,
        "letter_class": letter_class,
        "color_print": "true" if color_print else "false",
        "duplex": "true" if duplex else "false",
    }
    version = _text("software version", version)
    if version:
        form["version"] = version
    return form


def file_status(api: Api, *, filename: str) -> FileStatus:
    """`POST /file_status` (form `filename`) -> 200 the status (assumed: see the module's
    docstring)."""
    filename = _text("file name", filename, required=True)
    body = api.post(
        payslip_file_status_path(),
        api="payslip",
        data={"filename": filename},
        resource="Direct Print status",
        # Only asks: resent on a dropped connection or a busy answer like a GET.
        idempotent=True,
    ).body()
    return status_from_body(body)


def status_from_body(body: Any) -> FileStatus:
    if isinstance(body, dict):
        status = str(body.get("status") or body.get("state") or "").strip().upper()
        text = str(body.get("message") or body.get("text") or status)
        letters = _count(body.get("letters", body.get("letter_count")))
    else:
        text = _answer_text(body)
        word = re.match(r"\s*([A-Za-z_]+)", text)
        status = word.group(1).upper() if word else ""
        # "4 letters" or "letters: 4"
        match = re.search(r"(\d+)\s*letters?\b|letters?\D{0,3}(\d+)", text, re.IGNORECASE)
        letters = int(match.group(1) or match.group(2)) if match else None
    if not status:
        raise MaventaError(
            "file status answer without a status",
            method="POST",
            url=payslip_file_status_path(),
            staff_message="Maventa's answer about the package gave no status.",
        )
    return FileStatus(
        status=status, final=status in FINAL_STATUSES, text=text, letters=letters, raw=body
    )


def _text(what: str, value: str, *, required: bool = False, secret: bool = False) -> str:
    if not isinstance(value, str):
        raise refused_here(f"{what} not text", f"The {what} must be text.")
    if not secret:  # a secret is sent as given: its spaces may be part of it
        value = value.strip()
    if required and not value:
        raise refused_here(f"{what} missing", f"The {what} is missing.")
    if len(value) > MAX_TEXT:
        shown = "" if secret else f" ({len(value)})"
        raise refused_here(
            f"{what} too long{shown}", f"The {what} is longer than {MAX_TEXT} characters."
        )
    return value


def _answer_text(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, dict):
        status = str(body.get("status") or "")
        message = str(body.get("message") or body.get("text") or "")
        # Only these two: the rest of an answer may hold a password made for the account.
        return " ".join(part for part in (status, message) if part)
    return str(body).strip()


def _refused(method: str, path: str, text: str, fallback: str) -> SendRefused:
    said = text[:500]
    return SendRefused(
        said or "an empty answer",
        method=method,
        url=path,
        status=200,
        staff_message=f"{fallback} Maventa said: {said}" if said else fallback,
    )


def _username(body: Any, text: str) -> str:
    if isinstance(body, dict) and body.get("username"):
        return str(body["username"])
    match = re.search(r"username\s*[:=]\s*(\S+)", text, re.IGNORECASE)
    return match.group(1).strip(".,;") if match else ""


def _count(value: Any) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None
