"""Multipart bodies of the send endpoints: their fields, their files, and invoice ZIPs.

POST /v1/invoices and POST /v1/documents are multipart (FIELDS.md sections 5 and 6). Array
fields come either as ``name[]`` (what a Grape server reads) or as the plain name repeated (what
the generated client sends); both are read. An invoice may come as a ZIP of ``invoice.xml``,
``invoice.pdf`` and attachments (the public client's layout, FIELDS.md section 5); the ZIP is
opened with limits on entries and sizes, never trusting the sizes its headers declare.
"""

import io
import mimetypes
import posixpath
import zipfile
from dataclasses import dataclass

from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict

from .einvoice import MAX_BYTES
from .responses import BadRequest

MULTIPART = "multipart/form-data"
MAX_ZIP_ENTRIES = 20
MAX_ZIP_TOTAL = 3 * MAX_BYTES
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    mimetype: str


def form(request: HttpRequest) -> tuple[QueryDict, MultiValueDict]:
    if request.content_type != MULTIPART:
        raise BadRequest(f"The request body must be {MULTIPART}")
    try:
        return request.POST, request.FILES
    except MultiPartParserError as exc:
        raise BadRequest(f"The multipart body cannot be read: {exc}") from exc


def values(data: QueryDict, name: str) -> list[str]:
    return [v for v in data.getlist(f"{name}[]") + data.getlist(name) if v != ""]


def read(uploaded, name: str) -> Upload:
    """One uploaded file as bytes; larger than Maventa takes is refused."""
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise BadRequest(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    content = uploaded.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise BadRequest(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    filename = clean_filename(uploaded.name or name)
    return Upload(filename, content, mimetype_of(filename, uploaded.content_type))


def clean_filename(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/")).strip() or "file"
    return "".join(ch for ch in base if ch.isprintable())[:200]


def mimetype_of(filename: str, given: str | None = None) -> str:
    if given and given not in ("application/octet-stream", ""):
        return given
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def is_zip(upload: Upload) -> bool:
    return upload.content.startswith(ZIP_MAGIC)


def unzip_invoice(upload: Upload) -> tuple[Upload, Upload | None, list[Upload]]:
    """``(invoice XML, its PDF image or None, attachments)`` from an invoice ZIP."""
    entries = _entries(upload)
    xml = _pick(entries, "invoice.xml", ".xml")
    if xml is None:
        raise BadRequest("The ZIP holds no invoice XML (invoice.xml)")
    image = _pick([e for e in entries if e is not xml], "invoice.pdf", None)
    rest = [e for e in entries if e is not xml and e is not image]
    return xml, image, rest


def _pick(entries: list[Upload], exact: str, suffix: str | None) -> Upload | None:
    found = next((e for e in entries if e.filename.lower() == exact), None)
    if found is None and suffix:
        found = next((e for e in entries if e.filename.lower().endswith(suffix)), None)
    return found


def _entries(upload: Upload) -> list[Upload]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.content))
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_ZIP_ENTRIES:
            raise BadRequest(f"The ZIP holds more than {MAX_ZIP_ENTRIES} files")
        entries, total = [], 0
        for info in infos:
            with archive.open(info) as member:
                content = member.read(MAX_BYTES + 1)
            total += len(content)
            if len(content) > MAX_BYTES or total > MAX_ZIP_TOTAL:
                raise BadRequest("The ZIP's files are too large once unpacked")
            name = clean_filename(info.filename)
            entries.append(Upload(name, content, mimetype_of(name)))
        return entries
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise BadRequest(f"The ZIP cannot be read: {exc}") from exc
    except (RuntimeError, ValueError) as exc:  # encrypted members, bad compression data
        raise BadRequest(f"The ZIP cannot be read: {exc}") from exc
