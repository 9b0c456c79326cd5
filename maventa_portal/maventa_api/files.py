"""Files to and from Maventa: multipart bodies, the invoice package, and downloads.

Everything is bytes in memory, never an open file: a retry or the 401 re-send replays the
same body (STYLE.md, "The client").

Multipart arrays are sent as `name[]`, once per value. The schema lists `disabled_routes` as
an array; the generated public client repeats the plain key, but Maventa's server is
Grape-style (FIELDS.md sections 0 and 5, "Multipart arrays"), and Rack under Grape reads only
`name[]` as a list, keeping just the last of repeated plain keys. `name[]` is the one spelling
that cannot lose a value; the sandbox accepts both.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .http import HttpResponse

CONTENT_TYPES = {
    ".xml": "application/xml",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
OCTET_STREAM = "application/octet-stream"
# Zip entries get this time, not the clock's: the same invoice packs to the same bytes (and
# checksum) whenever it is packed.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def content_type_of(filename: str) -> str:
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return CONTENT_TYPES.get(suffix, OCTET_STREAM)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes = field(repr=False)


Parts = list[tuple[str, tuple]]


def multipart(files: Iterable[tuple[str, str, bytes]], fields: Iterable[tuple[str, Any]]) -> Parts:
    """requests' `files=`: a part per (field, filename, content) file, then one plain part per
    (name, value) field; a list value repeats `name[]`, empty values are left out."""
    parts: Parts = [
        (name, (filename, bytes(content), content_type_of(filename)))
        for name, filename, content in files
    ]
    for name, value in fields:
        if isinstance(value, list | tuple):
            parts += [(f"{name}[]", (None, str(item))) for item in value if item]
        elif value:
            parts.append((name, (None, str(value))))
    return parts


def zip_invoice(
    xml: bytes, pdf: bytes | None = None, attachments: Iterable[Attachment | tuple] = ()
) -> bytes:
    """The invoice package the public client sends as `invoice.zip` (FIELDS.md section 5):
    `invoice.xml`, `invoice.pdf` when there is an image, then `1_<name>`, `2_<name>`..."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        _add(package, "invoice.xml", xml)
        if pdf:
            _add(package, "invoice.pdf", pdf)
        for number, attachment in enumerate(attachments, start=1):
            name, content = (
                attachment
                if isinstance(attachment, tuple)
                else (
                    attachment.filename,
                    attachment.content,
                )
            )
            _add(package, f"{number}_{_plain_name(name)}", content)
    return buffer.getvalue()


def _add(package: zipfile.ZipFile, name: str, content: bytes) -> None:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(entry, content)


def _plain_name(name: str) -> str:
    """The file's own name: no folders (a `../` or `C:\\` from an upload stays out)."""
    base = re.split(r"[\\/]", name)[-1].strip()
    return base if base not in ("", ".", "..") else "attachment"


@dataclass(frozen=True)
class Download:
    content: bytes = field(repr=False)
    content_type: str = OCTET_STREAM
    filename: str = ""

    @property
    def size(self) -> int:
        return len(self.content)


_FILENAME_STAR = re.compile(r"filename\*\s*=\s*[\w-]+'[^']*'([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.IGNORECASE)


def download_of(response: HttpResponse) -> Download:
    """The body as it came, its media type and the file name Content-Disposition gives."""
    disposition = response.headers.get("Content-Disposition", "")
    found = _FILENAME_STAR.search(disposition)
    filename = unquote(found.group(1)) if found else ""
    if not filename:
        found = _FILENAME.search(disposition)
        filename = found.group(1).strip() if found else ""
    return Download(
        content=response.content,
        content_type=response.content_type or OCTET_STREAM,
        filename=_plain_name(filename) if filename else "",
    )


# A download is anything Maventa sends: ask for any media type (the session asks for JSON).
ACCEPT_ANY = {"Accept": "*/*"}
